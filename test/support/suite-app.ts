/**
 * The app of an engine suite: started before the suite's first test on its database, closed after
 * its last. Call inside a `forEachEngine` body.
 *
 * @example
 * forEachEngine('contacts', (suite) => {
 *   const t = suiteApp(suite);
 *   it('lists', async () => { await t.app.inject({ url: '/api/v1/contacts' }); });
 * });
 */
import { after, before } from 'node:test';
import type { AppContext } from '../../src/app-context.js';
import type { App } from '../../src/http/app.js';
import { startTestApp, type TestApp } from './app.js';
import type { EngineSuite } from './databases.js';

export interface SuiteApp {
  readonly app: App;
  readonly ctx: AppContext;
}

export function suiteApp(suite: EngineSuite, env: Record<string, string> = {}): SuiteApp {
  let started: TestApp | undefined;
  before(async () => {
    started = await startTestApp(suite.database, env);
  });
  after(async () => {
    await started?.close();
  });
  const current = (): TestApp => {
    if (!started) throw new Error('The suite app is not started yet');
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    get ctx() {
      return current().ctx;
    },
  };
}
