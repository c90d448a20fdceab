/**
 * How deep parsed JSON nests. JSON.parse copes with any depth, but JSON.stringify and every
 * recursive walk after it (the database driver, size checks, presenters) overflow the stack a few
 * thousand levels down, so input is checked against a limit before anything walks it.
 */

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
