/** Admins manage API keys: `GET/POST /api/v1/api-keys`, `DELETE /api/v1/api-keys/:id`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAdmin } from '../http/plugins/auth.plugin.js';
import { presentApiKey } from '../resources/api-key.resource.js';
import { ApiKeyCreateBodySchema, ApiKeyListSchema, CreatedApiKeySchema } from '../http/schemas/api-key.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';

export const apiKeyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const keys = ctx.services.apiKeys;
  const admin = routeGroup(['api keys'], { preHandler: requireAdmin });

  app.get(
    '/api/v1/api-keys',
    admin({ summary: 'List active API keys', response: { 200: ApiKeyListSchema, ...errorResponses(401, 403) } }),
    async () => ({ items: (await keys.list()).map(presentApiKey) }),
  );

  app.post(
    '/api/v1/api-keys',
    admin({
      summary: 'Create an API key',
      description: 'The answer’s `key` is shown only here. Send it as `Authorization: Bearer <key>`; it acts with the role of the admin who created it.',
      body: ApiKeyCreateBodySchema,
      response: { 201: CreatedApiKeySchema, ...errorResponses(400, 401, 403) },
    }),
    async (request, reply) => {
      const { apiKey, key } = await keys.create(request.body.name, principalOf(request));
      return reply.status(201).send({ ...presentApiKey(apiKey), key });
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    admin.byId({
      summary: 'Revoke an API key, at once',
      response: { ...noContentResponse('Revoked'), ...errorResponses(401, 403, 404) },
    }),
    noContent((request) => keys.revoke(request.params.id, principalOf(request))),
  );
};
