/**
 * Security headers on every response (@fastify/helmet) and request rate limits for the routes that
 * opt in with `config.rateLimit` (@fastify/rate-limit). The content security policy lets the web
 * inbox and the API docs load their own scripts and styles and nothing from elsewhere.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../../shared/errors.js';

export const securityPlugin = fp(
  async (app) => {
    await app.register(helmet, {
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
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new AppError('too_many_requests', `Too many requests, try again in ${context.after}`),
    });
  },
  { name: 'flowchat-security' },
);
