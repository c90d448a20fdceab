/**
 * The app of an engine suite: started before the suite's first test on its database, closed after
 * its last. Call inside a `forEachEngine` body. `suiteAppWithCloudApi` also starts the Cloud API
 * stand-in the app sends to (workers running unless told otherwise).
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
import { startCloudApiStandIn, type CloudApiStandIn } from './cloud-api-stand-in.js';
import type { EngineSuite } from './databases.js';

export interface SuiteApp {
  readonly app: App;
  readonly ctx: AppContext;
}

export interface CloudApiSuiteApp extends SuiteApp {
  readonly cloud: CloudApiStandIn;
}

/** Starts `start` before the suite and closes what it started after; the getter throws before then. */
function forTheSuite<T extends TestApp>(start: () => Promise<T>): () => T {
  let started: T | undefined;
  before(async () => {
    started = await start();
  });
  after(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error('The suite app is not started yet');
    return started;
  };
}

export function suiteApp(suite: EngineSuite, env: Record<string, string> = {}): SuiteApp {
  const current = forTheSuite(() => startTestApp(suite.database, env));
  return {
    get app() {
      return current().app;
    },
    get ctx() {
      return current().ctx;
    },
  };
}

/** The suite app sending to a Cloud API stand-in of its own, at 1000 messages a second unless `env` says otherwise. */
export function suiteAppWithCloudApi(suite: EngineSuite, env: Record<string, string> = {}, workers = true): CloudApiSuiteApp {
  const current = forTheSuite(async () => {
    const cloud = await startCloudApiStandIn();
    try {
      const started = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: '1000', ...env }, workers);
      return {
        ...started,
        cloud,
        async close() {
          await started.close();
          await cloud.close();
        },
      };
    } catch (error) {
      await cloud.close();
      throw error;
    }
  });
  return {
    get app() {
      return current().app;
    },
    get ctx() {
      return current().ctx;
    },
    get cloud() {
      return current().cloud;
    },
  };
}
