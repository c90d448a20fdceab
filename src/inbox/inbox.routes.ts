/**
 * The team inbox's routes: private notes (`POST /api/v1/contacts/:id/notes`), message search
 * (`GET /api/v1/messages/search`) and an agent's availability (`PATCH /api/v1/auth/me`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { presentMessage } from '../resources/message.resource.js';
import { presentUser } from '../resources/user.resource.js';
import { IdParamsSchema, NextCursorSchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { MessageSchema } from '../http/schemas/message.schema.js';
import { UserSchema } from '../http/schemas/user.schema.js';
import { isUuid } from '../shared/ids.js';

const searchScope = 'message-search';

const SearchHitSchema = Type.Object(
  { ...MessageSchema.properties, contact: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }) },
  { description: 'A message that matched, with its contact' },
);

const SearchQuerySchema = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Words every hit holds (case and accents ignored)' }),
  contact_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only this contact’s thread' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Hits per page, 1 to 200' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'The `next_cursor` of the previous page' })),
});

export const inboxRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { notes, messageSearch: search, users } = ctx.services;

  app.post('/api/v1/contacts/:id/notes', {
    preHandler: requireAuth,
    schema: {
      summary: 'Add a private note to the thread',
      description: 'Stored as a message with `direction: "internal"` and `type: "note"`: shown to agents, never sent to WhatsApp.',
      tags: ['messages'],
      params: IdParamsSchema,
      body: Type.Object({ content: Type.String({ minLength: 1, maxLength: 4096, pattern: '\\S' }) }, { additionalProperties: false }),
      response: { 201: MessageSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    await ctx.channelAccess.assertContactVisible(principalOf(request), request.params.id);
    return reply.status(201).send(presentMessage(await notes.add(request.params.id, principalOf(request).userId, request.body.content)));
  });

  app.get('/api/v1/messages/search', {
    preHandler: requireAuth,
    schema: {
      summary: 'Search message text and captions, newest first',
      tags: ['messages'],
      querystring: SearchQuerySchema,
      response: { 200: Type.Object({ items: Type.Array(SearchHitSchema), next_cursor: NextCursorSchema }), ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const { q, contact_id: contactId, limit, cursor } = request.query;
    if (contactId !== undefined && !isUuid(contactId)) return { items: [], next_cursor: null };
    // An agent finds only what the numbers they work exchanged.
    const channelIds = await ctx.channelAccess.visibleChannels(principalOf(request));
    const page = await search.search({
      ...(channelIds !== null ? { channelIds } : {}),
      q,
      limit: limit ?? 50,
      ...(contactId !== undefined ? { contactId } : {}),
      ...(cursor !== undefined ? { after: ctx.cursors.decode(cursor, searchScope) } : {}),
    });
    return {
      items: page.items.map((hit) => ({ ...presentMessage(hit), contact: { id: hit.contact_id, name: hit.contact_name, phone: hit.contact_phone } })),
      next_cursor: page.next ? ctx.cursors.encode(page.next, searchScope) : null,
    };
  });

  app.patch('/api/v1/auth/me', {
    preHandler: requireAuth,
    schema: {
      summary: 'Set whether automatic assignment may pick you',
      tags: ['auth'],
      body: Type.Object({ available: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: UserSchema, ...errorResponses(400, 401) },
    },
  }, async (request) => presentUser(await users.setAvailable(principalOf(request).userId, request.body.available)));
};
