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
import type { AppContext } from '../../src/app-context.js';
import type { App } from '../../src/http/app.js';
import { startTestApp, type TestApp } from './app.js';
import { startCloudApiStandIn, type CloudApiStandIn } from './cloud-api-stand-in.js';
import type { EngineSuite } from './databases.js';
import { forTheSuite } from './for-the-suite.js';

export interface SuiteApp {
  readonly app: App;
  readonly ctx: AppContext;
}

export interface CloudApiSuiteApp extends SuiteApp {
  readonly cloud: CloudApiStandIn;
}

export function suiteApp(suite: EngineSuite, env: Record<string, string> = {}): SuiteApp {
  return forTheSuite(() => startTestApp(suite.database, env), ['app', 'ctx']);
}

/** The suite app sending to a Cloud API stand-in of its own, at 1000 messages a second unless `env` says otherwise. */
export function suiteAppWithCloudApi(suite: EngineSuite, env: Record<string, string> = {}, workers = true): CloudApiSuiteApp {
  return forTheSuite(async (): Promise<TestApp & { readonly cloud: CloudApiStandIn }> => {
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
  }, ['app', 'ctx', 'cloud']);
}
