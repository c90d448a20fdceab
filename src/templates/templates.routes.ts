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
        description:
          'Meta’s templates of every WABA the channels send from (each channel’s `business_account_id`, else WHATSAPP_BUSINESS_ACCOUNT_ID; the sandbox’s demo templates for a sandbox channel), by name and language. `channel_id` lists only the catalogue that channel sends from.',
        querystring: TemplateListQuerySchema,
        response: { 200: TemplateListSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { channel_id: channelId, ...filter } = request.query;
      return { items: (await ctx.templates.list(filter, channelId)).map(presentTemplate) };
    },
  );

  app.post(
    '/api/v1/templates/sync',
    {
      preHandler: requireAdmin,
      schema: {
        tags,
        summary: 'Fetch the catalogue from Meta now',
        description:
          'Every page of `{waba id}/message_templates` for each WABA the channels name, with a token of that WABA’s channel; a template Meta no longer lists stays as `DELETED` in its WABA. When a WABA cannot be read, the others are still stored and the answer is 502 naming it.',
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
