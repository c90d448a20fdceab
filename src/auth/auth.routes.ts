/** `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`, `GET /api/v1/auth/me`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth, SESSION_COOKIE } from '../http/plugins/auth.plugin.js';
import { publicRoute } from '../http/plugins/openapi.plugin.js';
import { presentUser } from '../resources/user.resource.js';
import { LoginBodySchema, LoginResultSchema, MeSchema } from '../http/schemas/auth.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

/** The session cookie: script-proof, sent on same-site navigation, https-only when served over https. */
function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, ttlSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', path: '/', maxAge: ttlSeconds });
}

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { logins, users } = ctx.services;
  const ttl = ctx.config.sessionTtlSeconds;

  app.post(
    '/api/v1/auth/login',
    {
      // Per address, in memory: a flood of logins would otherwise burn CPU on password hashes.
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in',
        description:
          'Answers a session token (also set as the HttpOnly `flowchat_session` cookie). An unknown email and a wrong ' +
          'password both answer 401 `invalid_credentials`; after repeated failures for one email or from one address, 429.',
        security: publicRoute,
        body: LoginBodySchema,
        response: { 200: LoginResultSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await logins.login(request.body.email, request.body.password, request.ip);
      setSessionCookie(request, reply, result.token, ttl);
      return { token: result.token, user: presentUser(result.user), expires_at: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'Sign out: end this session at once',
        response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await logins.logout(principalOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the WhatsApp channel in use',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const user = presentUser(await users.get(principal.userId));
      const cookie = request.cookies[SESSION_COOKIE];
      // The session's expiry slides as it is used; the cookie's follows, or it would end first.
      if (request.authenticatedBy === 'cookie' && cookie !== undefined) setSessionCookie(request, reply, cookie, ttl);
      return {
        ...user,
        user,
        authenticated_by: principal.type === 'api_key' ? ('api_key' as const) : ('session' as const),
        channel: ctx.config.whatsapp === undefined ? ('sandbox' as const) : ('cloud_api' as const),
      };
    },
  );
};
