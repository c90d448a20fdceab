/**
 * What the routes of one module share, written once: their OpenAPI tags and the guard that runs
 * before each (`routeGroup`), and the shape of a route that answers 204 with no body (`noContent`).
 */
import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { IdParamsSchema } from './schemas/common.schema.js';

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * `onRequest` runs before validation, so a caller who may not use the routes learns nothing from
 * them; `preHandler` runs after it, so a malformed request is a 400 before it is a 401.
 */
export type Guard = { readonly onRequest: Hook } | { readonly preHandler: Hook };

/** The options of a route of a group: the guard, and `schema` with the group's tags. */
export interface RouteGroup<G extends Guard> {
  <S extends FastifySchema>(schema: S): G & { schema: S & { tags: string[] } };
  /** The same, for a route of one record: `:id` in its path, as `IdParamsSchema` reads it. */
  byId<S extends FastifySchema>(schema: S): G & { schema: S & { tags: string[]; params: typeof IdParamsSchema } };
}

/**
 * Routes of one OpenAPI tag behind one guard.
 *
 * @example
 * const admin = routeGroup(['webhooks'], { onRequest: requireAdmin });
 * app.get('/api/v1/webhooks', admin({ summary: 'List outbound webhooks', response: { 200: WebhookListSchema } }), list);
 * app.get('/api/v1/webhooks/:id', admin.byId({ summary: 'Get an outbound webhook', response: { 200: WebhookSchema } }), get);
 */
export function routeGroup<G extends Guard>(tags: string[], guard: G): RouteGroup<G> {
  const group = <S extends FastifySchema>(schema: S) => ({ ...guard, schema: { ...schema, tags } });
  return Object.assign(group, { byId: <S extends FastifySchema>(schema: S) => group({ ...schema, params: IdParamsSchema }) });
}

/** The 204 answer of a route that answers with no body, described as `description`. */
export function noContentResponse(description: string) {
  return { 204: Type.Null({ description }) };
}

/** A handler that runs `action` and answers 204 with no body. */
export function noContent<Request>(action: (request: Request) => Promise<unknown>) {
  return async (request: Request, reply: FastifyReply): Promise<null> => {
    await action(request);
    reply.status(204);
    return null;
  };
}
