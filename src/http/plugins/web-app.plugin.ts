/**
 * Serves the web inbox (web/dist, built by `npm ci` / `npm start`) at `/`. Paths the app routes
 * itself (`/inbox`, `/contacts/…`) get its index.html when a browser asks for a page; API and
 * webhook paths never do, and other clients get the JSON 404.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');

/** Whether a request that matched no route should get the web app's index.html. */
export function wantsWebApp(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  if (/^\/(api|webhooks|metrics|healthz)(\/|$)/.test(path) || path.startsWith('/assets/')) return false;
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  return existsSync(join(webRoot, 'index.html'));
}

export async function registerWebApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(webRoot)) return;
  await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'], maxAge: '1h', immutable: false });
}
