/**
 * Something a whole suite shares (an app, a server, a browser): started before the suite's first
 * test and closed after its last. Call where the suite's hooks are registered.
 */
import { after, before } from 'node:test';

/**
 * Starts `start` before the suite and closes it after; returns a view whose `keys` read the
 * started value at each access, so tests can hold it from the start (it throws before then).
 *
 * @example
 * const t = forTheSuite(() => startTestApp(suite.database), ['app', 'ctx']);
 * it('lists', async () => { await t.app.inject({ url: '/api/v1/contacts' }); });
 */
export function forTheSuite<T extends { close(): Promise<void> }, K extends keyof T>(start: () => Promise<T>, keys: readonly K[]): Pick<T, K> {
  let started: T | undefined;
  before(async () => {
    started = await start();
  });
  after(async () => {
    await started?.close();
  });
  const view = {} as Pick<T, K>;
  for (const key of keys) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        if (!started) throw new Error(`${String(key)} is read before the suite started`);
        return started[key];
      },
    });
  }
  return view;
}
