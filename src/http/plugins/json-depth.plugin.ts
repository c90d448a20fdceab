/**
 * Refuses request bodies nested deeper than `MAX_JSON_DEPTH` with a 400, before validation.
 * JSON.parse copes with any depth, but JSON.stringify and every recursive walk after it (metadata
 * size checks, template variables, the database driver) overflow the stack a few thousand levels
 * down, which turned a small hostile body into a 500. No FlowChat resource nests anywhere near this.
 */
import fp from 'fastify-plugin';
import { invalidField } from '../../shared/errors.js';

export const MAX_JSON_DEPTH = 32;

/** Arrays and plain objects: what JSON parses to (a raw Buffer or a CSV stream is not walked). */
function isJsonContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether parsed JSON nests objects or arrays more than `limit` levels deep; iterative, so any depth is safe. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!isJsonContainer(next.value)) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

export const jsonDepthPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      if (nestedDeeperThan(request.body, MAX_JSON_DEPTH)) throw invalidField('body', `is nested more than ${MAX_JSON_DEPTH} levels deep`);
    });
  },
  { name: 'flowchat-json-depth' },
);
