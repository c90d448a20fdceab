/**
 * The inbox: `GET /api/v1/conversations`, `POST /api/v1/contacts/:id/conversation` (assign, close,
 * reopen), quick replies, and the dashboard's figures.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { IdParamsSchema } from '../http/schemas/common.schema.js';
import {
  ConversationChangeSchema, ConversationListQuerySchema, ConversationPageSchema, ConversationSchema, DashboardSchema, QuickReplyBodySchema,
  QuickReplySchema,
} from '../http/schemas/conversation.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { Type } from 'typebox';

export const conversationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const conversations = ctx.services.conversations;
  const { quickReplies, stats } = ctx.services;
  const tags = ['inbox'];

  app.get(
    '/api/v1/conversations',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        summary: 'List conversations',
        description: 'Contacts with messages, newest activity first, each with its last message and unread count.',
        querystring: ConversationListQuerySchema,
        response: { 200: ConversationPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await conversations.list(request.query, principal, await ctx.channelAccess.visibleChannels(principal));
      return { items: page.items, next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/contacts/:id/conversation',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        summary: 'Assign, close or reopen a conversation',
        params: IdParamsSchema,
        body: ConversationChangeSchema,
        response: { 200: ConversationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await ctx.channelAccess.assertContactVisible(principalOf(request), request.params.id);
      return conversations.change(request.params.id, request.body);
    },
  );

  app.get(
    '/api/v1/quick-replies',
    {
      preHandler: requireAuth,
      schema: { tags, summary: 'List quick replies', response: { 200: Type.Object({ items: Type.Array(QuickReplySchema) }), ...errorResponses(401) } },
    },
    async () => ({ items: await quickReplies.listAll() }),
  );

  app.post(
    '/api/v1/quick-replies',
    {
      preHandler: requireAuth,
      schema: { tags, summary: 'Save a quick reply', body: QuickReplyBodySchema, response: { 201: QuickReplySchema, ...errorResponses(400, 401, 403, 409) } },
    },
    async (request, reply) =>
      reply.status(201).send(await quickReplies.create({ ...request.body, created_by: principalOf(request).userId })),
  );

  app.delete(
    '/api/v1/quick-replies/:id',
    {
      preHandler: requireAuth,
      schema: { tags, summary: 'Delete a quick reply', params: IdParamsSchema, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await quickReplies.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/stats/dashboard',
    {
      preHandler: requireAuth,
      schema: { tags, summary: 'Dashboard figures', description: 'Messages per day for 14 days, median first response over 30 days, open conversations.', response: { 200: DashboardSchema, ...errorResponses(401) } },
    },
    async () => ({
      messages_per_day: await stats.messagesPerDay(14),
      median_first_response_seconds: await stats.medianFirstResponseSeconds(30),
      open_conversations: await stats.openConversations(),
    }),
  );
};
