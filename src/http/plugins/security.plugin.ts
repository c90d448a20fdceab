/**
 * Security headers on every response (Helmet's defaults) and request rate limits for the routes
 * that opt in with `config.rateLimit` (@fastify/rate-limit). The content security policy lets the
 * web inbox and the API docs load their own scripts and styles and nothing from elsewhere.
 *
 * Helmet's headers depend on nothing in the request, so they are worked out once at start and
 * copied onto each reply. (@fastify/helmet rebuilt Helmet, parsing the policy again, on every
 * request: about a tenth of the server's CPU under a burst of webhooks.) A route whose callers are
 * servers, never browsers, opts out with `config: { securityHeaders: false }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../../shared/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: no security headers (the response is read by a server, never rendered by a browser). */
    securityHeaders?: boolean;
  }
}

/** The headers Helmet sets, collected by running it once against a stand-in response. */
function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Self-hosted installs are often plain http on a LAN; upgrading would break them.
        upgradeInsecureRequests: null,
      },
    },
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

export const securityPlugin = fp(
  async (app) => {
    const headers = securityHeaders();
    app.addHook('onRequest', (request, reply, done) => {
      if (request.routeOptions.config.securityHeaders !== false) reply.headers(headers);
      done();
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new AppError('too_many_requests', `Too many requests, try again in ${context.after}`),
    });
  },
  { name: 'flowchat-security' },
);
