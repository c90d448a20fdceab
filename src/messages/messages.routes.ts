/**
 * A contact's thread and sending: `GET/POST /api/v1/contacts/:id/messages`,
 * `POST /api/v1/messages/bulk` (202: stored as pending, the sender takes it from there) and
 * `POST /api/v1/contacts/:id/read` (inbound messages read, read receipt to WhatsApp).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { presentMessage } from '../resources/message.resource.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { routeGroup } from '../http/route-group.js';
import { MessagePageSchema, MessageSchema } from '../http/schemas/message.schema.js';
import {
  BulkSendAnswerSchema,
  BulkSendBodySchema,
  IdempotencyHeadersSchema,
  MarkReadAnswerSchema,
  SendMessageBodySchema,
  ThreadQuerySchema,
} from '../http/schemas/message-send.schema.js';

const threadScope = (contactId: string): string => `thread:${contactId}`;

export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const signedIn = routeGroup(['messages'], { preHandler: requireAuth });

  app.get(
    '/api/v1/contacts/:id/messages',
    signedIn.byId({
      summary: 'A contact’s thread, newest first',
      querystring: ThreadQuerySchema,
      response: { 200: MessagePageSchema, ...errorResponses(400, 401, 404) },
    }),
    async (request) => {
      const { id } = request.params;
      const visible = await ctx.channelAccess.assertContactVisible(principalOf(request), id);
      const before = request.query.before === undefined ? undefined : ctx.cursors.decode(request.query.before, threadScope(id));
      const page = await ctx.messages.thread(id, { limit: request.query.limit ?? 50, ...(before ? { before } : {}) });
      // An agent's page leaves out what the contact exchanged on numbers they do not work.
      const items = visible === null ? page.items : page.items.filter((message) => visible.includes(message.channel_id));
      return { items: items.map(presentMessage), next_cursor: page.next ? ctx.cursors.encode(page.next, threadScope(id)) : null };
    },
  );

  app.post(
    '/api/v1/contacts/:id/messages',
    signedIn.byId({
      summary: 'Send a text or template message',
      description:
        'Stores the message as `pending` and answers 202; it goes out paced by WHATSAPP_RATE_LIMIT. Text needs the contact’s 24-hour window open (else 422 `window_closed`); an opted-out contact is 409 `opted_out`. With an `Idempotency-Key` header, a repeat answers with the first message and sends nothing.',
      headers: IdempotencyHeadersSchema,
      body: SendMessageBodySchema,
      response: { 202: MessageSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (request, reply) => {
      await ctx.channelAccess.assertContactVisible(principalOf(request), request.params.id);
      const message = await ctx.messages.sendMessage(principalOf(request), request.params.id, request.body, request.headers['idempotency-key']);
      return reply.status(202).send(presentMessage(message));
    },
  );

  app.post(
    '/api/v1/messages/bulk',
    signedIn({
      summary: 'Send many messages, all or nothing',
      description: 'Every contact must exist (else 404 `contact_not_found` and nothing is stored), none opted out, and text only to open windows.',
      headers: IdempotencyHeadersSchema,
      body: BulkSendBodySchema,
      response: { 202: BulkSendAnswerSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
    }),
    async (request, reply) => {
      const messages = await ctx.messages.sendBulkMessages(principalOf(request), request.body.messages, request.headers['idempotency-key']);
      return reply.status(202).send({ messages: messages.map(presentMessage) });
    },
  );

  app.post(
    '/api/v1/contacts/:id/read',
    signedIn.byId({
      summary: 'Mark the thread read',
      description: 'Inbound messages become `read`, and WhatsApp gets a read receipt for the newest one.',
      response: { 200: MarkReadAnswerSchema, ...errorResponses(401, 403, 404) },
    }),
    async (request) => {
      await ctx.channelAccess.assertContactVisible(principalOf(request), request.params.id);
      return { read: await ctx.messages.markThreadRead(request.params.id) };
    },
  );
};
