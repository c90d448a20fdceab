/**
 * What almost every fault test file needs, as `before`/`after` hooks: a fresh PostgreSQL database
 * and a stand-in Cloud API, and at the end every FlowChat process the file started killed. Call it
 * inside the file's `describe`.
 *
 * @example
 * describe('a fault', () => {
 *   const env = faultEnvironment();
 *   it('…', async () => { await startFlowChat({ DATABASE_URL: env.database.url ?? '', ...env.cloud.env() }); });
 * });
 */
import { after, before } from 'node:test';
import { startCloudApiStandIn, type CloudApiStandIn } from '../../support/cloud-api-stand-in.js';
import { openTestDatabase, type TestDatabase } from '../../support/databases.js';
import { killAll } from './flowchat.js';

export interface FaultEnvironment {
  readonly database: TestDatabase;
  readonly cloud: CloudApiStandIn;
}

export function faultEnvironment(): FaultEnvironment {
  let database: TestDatabase | undefined;
  let cloud: CloudApiStandIn | undefined;
  before(async () => {
    database = await openTestDatabase('server');
    cloud = await startCloudApiStandIn();
  });
  after(async () => {
    await killAll();
    await cloud?.close();
    await database?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the fault environment's ${what} is not ready yet`);
    return value;
  };
  return {
    get database() {
      return ready(database, 'database');
    },
    get cloud() {
      return ready(cloud, 'stand-in Cloud API');
    },
  };
}
