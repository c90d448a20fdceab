/** `/api/v1/webhooks` (admins): outbound webhook endpoints, their deliveries, and redelivery. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAdmin } from '../http/plugins/auth.plugin.js';
import { presentDelivery, presentWebhook } from '../resources/webhook.resource.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';
import {
  CreatedWebhookSchema, DeliveryPageSchema, DeliveryParamsSchema, DeliveryQuerySchema, DeliverySchema, WebhookCreateBodySchema,
  WebhookListSchema, WebhookSchema,
} from '../http/schemas/webhook.schema.js';

export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const webhooks = ctx.services.webhooks;
  // Authorisation before validation: a caller who may not use these routes learns nothing from them.
  const admin = routeGroup(['webhooks'], { onRequest: requireAdmin });

  app.get('/api/v1/webhooks', admin({ summary: 'List outbound webhooks', response: { 200: WebhookListSchema, ...errorResponses(401, 403) } }),
    async () => ({ items: (await webhooks.list()).map(presentWebhook) }));

  app.post('/api/v1/webhooks', admin({
    summary: 'Register an outbound webhook',
    description: 'Every event of the chosen types is POSTed to `url`, signed with `secret` (shown only in this answer).',
    body: WebhookCreateBodySchema,
    response: { 201: CreatedWebhookSchema, ...errorResponses(400, 401, 403) },
  }), async (request, reply) => {
    const { webhook, secret } = await webhooks.create(principalOf(request), request.body);
    return reply.status(201).send({ ...presentWebhook(webhook), secret });
  });

  app.get('/api/v1/webhooks/:id', admin.byId({ summary: 'Get an outbound webhook', response: { 200: WebhookSchema, ...errorResponses(401, 403, 404) } }),
    async (request) => presentWebhook(await webhooks.get(request.params.id)));

  app.delete('/api/v1/webhooks/:id', admin.byId({
    summary: 'Delete an outbound webhook',
    description: 'Nothing more is sent to it, pending retries included.',
    response: { ...noContentResponse('Deleted'), ...errorResponses(401, 403, 404) },
  }), noContent((request) => webhooks.delete(principalOf(request), request.params.id)));

  app.get('/api/v1/webhooks/:id/deliveries', admin.byId({
    summary: 'List a webhook’s deliveries, newest first, with every attempt',
    querystring: DeliveryQuerySchema,
    response: { 200: DeliveryPageSchema, ...errorResponses(400, 401, 403, 404) },
  }), async (request) => {
    const page = await webhooks.listDeliveries(request.params.id, request.query);
    return { items: page.items.map(presentDelivery), next_cursor: page.next_cursor, health: presentWebhook(page.webhook).health };
  });

  app.post('/api/v1/webhooks/:id/deliveries/:event_id/redeliver', admin({
    summary: 'Send a failed (or delivered) event again',
    description: 'The delivery becomes pending with a fresh retry schedule and the same event id.',
    params: DeliveryParamsSchema,
    response: { 202: DeliverySchema, ...errorResponses(401, 403, 404, 422) },
  }), async (request, reply) => {
    const delivery = await webhooks.redeliver(request.params.id, request.params.event_id);
    return reply.status(202).send(presentDelivery(delivery));
  });
};
