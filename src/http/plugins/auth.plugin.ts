/**
 * Authentication for every route: a `Authorization: Bearer` token or the session cookie becomes
 * `request.principal`. Routes opt in with `requireAuth` or `requireAdmin`. A write authenticated
 * by cookie must come from this server's own origin (CSRF); bearer tokens are not sent by
 * browsers on their own, so they need no such check.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { AuthService, Principal } from '../../auth/auth.service.js';

export const SESSION_COOKIE = 'flowchat_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    authenticatedBy: 'bearer' | 'cookie' | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function originMatches(request: FastifyRequest): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export const authPlugin = fp<{ auth: AuthService }>(async (app, { auth }) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('authenticatedBy', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) return;
      request.principal = (await auth.authenticate(match[1])) ?? null;
      request.authenticatedBy = request.principal ? 'bearer' : null;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      request.principal = (await auth.authenticate(cookie)) ?? null;
      request.authenticatedBy = request.principal ? 'cookie' : null;
    }
  });
}, { name: 'flowchat-auth', dependencies: ['@fastify/cookie'] });

/** preHandler: signed in (session or API key), and for cookie writes, same origin. */
export async function requireAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!request.principal) throw new AppError('unauthorized');
  if (request.authenticatedBy === 'cookie' && !safeMethods.has(request.method) && !originMatches(request)) {
    throw new AppError('csrf_origin_mismatch');
  }
}

/** preHandler: signed in as an admin. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireAuth(request, reply);
  if (request.principal?.role !== 'admin') throw new AppError('forbidden');
}

/** The principal of a request that passed `requireAuth`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized');
  return request.principal;
}
