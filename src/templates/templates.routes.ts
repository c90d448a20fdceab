/** The template catalogue: `GET /api/v1/templates` (signed in) and `POST /api/v1/templates/sync` (admin). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { requireAdmin, requireAuth } from '../http/plugins/auth.plugin.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { AppError } from '../shared/errors.js';
import { TemplateFetchError } from './meta-template-client.js';
import { presentTemplate } from './template.presenter.js';
import { TemplateListQuerySchema, TemplateListSchema, TemplateSyncAnswerSchema } from './template.schema.js';

export const templateRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['templates'];

  app.get(
    '/api/v1/templates',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        summary: 'The template catalogue',
        description: 'Meta’s templates of WHATSAPP_BUSINESS_ACCOUNT_ID (the sandbox’s demo templates without one), by name and language.',
        querystring: TemplateListQuerySchema,
        response: { 200: TemplateListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ items: (await ctx.templates.list(request.query)).map(presentTemplate) }),
  );

  app.post(
    '/api/v1/templates/sync',
    {
      preHandler: requireAdmin,
      schema: {
        tags,
        summary: 'Fetch the catalogue from Meta now',
        description: 'Every page of `{waba id}/message_templates`; a template Meta no longer lists stays as `DELETED`.',
        response: { 200: TemplateSyncAnswerSchema, ...errorResponses(401, 403, 422, 502) },
      },
    },
    async () => {
      try {
        return await ctx.templates.sync();
      } catch (error) {
        if (error instanceof TemplateFetchError) throw new AppError('template_sync_failed', error.message);
        throw error;
      }
    },
  );
};
