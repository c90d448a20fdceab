/** `/api/v1/channels` (admins): the WhatsApp numbers, their members, adding, changing and deleting one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAdmin, requireAuth } from '../http/plugins/auth.plugin.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { routeGroup } from '../http/route-group.js';
import {
  ChannelCreateBodySchema, ChannelListSchema, ChannelMembersBodySchema, ChannelMembersSchema, ChannelSchema, ChannelUpdateBodySchema, VisibleChannelListSchema,
} from './channel.schema.js';

export const channelRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const channels = ctx.services.channels;
  const tags = ['channels'];
  // Authorisation before validation: a caller who may not use these routes learns nothing from them.
  const admin = routeGroup(tags, { onRequest: requireAdmin });
  const signedIn = routeGroup(tags, { preHandler: requireAuth });

  app.get('/api/v1/channels', admin({ summary: 'List channels (WhatsApp numbers)', response: { 200: ChannelListSchema, ...errorResponses(401, 403) } }),
    async () => ({ items: await channels.list() }));

  app.get('/api/v1/channels/mine', signedIn({
    summary: 'The channels the signed-in user works',
    description: 'For the inbox’s channel filter and badges: every channel for an admin; for an agent, their channels and those open to all.',
    response: { 200: VisibleChannelListSchema, ...errorResponses(401) },
  }), async (request) => {
    const visible = await ctx.channelAccess.visibleChannels(principalOf(request));
    const items = ctx.channels.listed().filter((channel) => visible === null || visible.includes(channel.id));
    return { items: items.map((channel) => ({ id: channel.id, name: channel.name, type: channel.type, display_phone_number: channel.displayPhoneNumber })) };
  });

  app.post('/api/v1/channels', admin({
    summary: 'Add a WhatsApp number',
    description: 'Checks the token with Meta first (422 `channel_unreachable` when refused); a second channel with the same `phone_number_id` is 409. Secrets are stored encrypted and never shown again.',
    body: ChannelCreateBodySchema,
    response: { 201: ChannelSchema, ...errorResponses(400, 401, 403, 409, 422) },
  }), async (request, reply) => reply.status(201).send(await channels.create(principalOf(request), request.body)));

  app.get('/api/v1/channels/:id', admin.byId({ summary: 'A channel', response: { 200: ChannelSchema, ...errorResponses(401, 403, 404) } }),
    async (request) => channels.get(request.params.id));

  app.patch('/api/v1/channels/:id', admin.byId({
    summary: 'Change a channel',
    description: 'A new access token is checked with Meta first and lifts a pause the old one caused. The environment channel cannot be changed (422 `channel_read_only`).',
    body: ChannelUpdateBodySchema,
    response: { 200: ChannelSchema, ...errorResponses(400, 401, 403, 404, 422) },
  }), async (request) => channels.update(principalOf(request), request.params.id, request.body));

  app.delete('/api/v1/channels/:id', admin.byId({
    summary: 'Delete a channel',
    description: 'Sending stops, queued messages are `canceled`, the history stays; answers the channel as left (`status: "paused"`), then it is gone from lists.',
    response: { 200: ChannelSchema, ...errorResponses(401, 403, 404, 422) },
  }), async (request) => channels.delete(principalOf(request), request.params.id));

  app.put('/api/v1/channels/:id/members', admin.byId({
    summary: 'Set the agents who work a channel',
    description: 'Agents see only the conversations, threads and events of their channels; a channel with no members is open to every agent.',
    body: ChannelMembersBodySchema,
    response: { 200: ChannelMembersSchema, ...errorResponses(400, 401, 403, 404) },
  }), async (request) => ({ user_ids: await channels.setMembers(principalOf(request), request.params.id, request.body.user_ids) }));
};
