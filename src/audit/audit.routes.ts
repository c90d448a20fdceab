/** `GET /api/v1/audit` (admins): who did what, newest first. Entries are read-only: no route writes them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { requireAdmin } from '../http/plugins/auth.plugin.js';
import { presentAuditEntry } from '../resources/audit.resource.js';
import { AuditPageSchema, AuditQuerySchema } from '../http/schemas/audit.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const audit = ctx.services.audit;

  app.get('/api/v1/audit', {
    onRequest: requireAdmin,
    schema: {
      summary: 'Read the audit log',
      description: 'Newest first; filter by actor, action, target and time (`from` inclusive, `to` exclusive).',
      tags: ['audit'],
      querystring: AuditQuerySchema,
      response: { 200: AuditPageSchema, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const page = await audit.list(request.query);
    return { items: page.items.map(presentAuditEntry), next_cursor: page.next_cursor };
  });
};
