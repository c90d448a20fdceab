import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maxInAnyWindow, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine, openTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';
import { childDatabase, createContacts, killChild, queueTemplates, signIn, startChild, type ChildDatabase } from '../support/flowchat-child.js';
import type { ServerProcess } from '../support/processes.js';

// FlowChat runs in child processes: the stand-in then times arrivals on an event loop of its own,
// as Meta would, instead of one that FlowChat's own work (the embedded engine above all) stalls.
const limit = 40;
const count = 200;

/** Sends per second between the first and the last arrival. */
function sustained(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return (sorted.length - 1) / (((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / 1000);
}

async function assertPaced(cloud: CloudApiStandIn, ids: readonly string[]): Promise<void> {
  const mine = (): typeof cloud.requests => cloud.sends().filter((send) => ids.includes(String(send.body?.['biz_opaque_callback_data'])));
  await cloud.waitForSends(ids.length, 60_000, (send) => ids.includes(String(send.body?.['biz_opaque_callback_data'])));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sends = mine();
  assert.equal(sends.length, ids.length);
  assert.equal(new Set(sends.map((send) => send.body?.['biz_opaque_callback_data'])).size, ids.length, 'each message sent once');
  const times = sends.map((send) => send.at);
  const busiest = maxInAnyWindow(times, 1_000);
  assert.ok(busiest <= limit, `at most ${limit} in any second as the Cloud API sees it, got ${busiest}`);
  const rate = sustained(times);
  assert.ok(rate >= limit * 0.9, `sustained ${rate.toFixed(1)}/s, at least 90 % of ${limit}/s`);
  assert.ok(rate <= limit, `sustained ${rate.toFixed(1)}/s, not above the limit`);
}

forEachEngine('WhatsApp pacing', (suite) => {
  let cloud: CloudApiStandIn;
  let database: ChildDatabase;
  let server: ServerProcess | undefined;

  before(async () => {
    cloud = await startCloudApiStandIn();
    database = childDatabase(suite);
  });
  after(async () => {
    if (server) await killChild(server);
    await cloud.close();
    database.remove();
  });

  it('spreads sends evenly: no one-second window over the limit, and at least 90 % of it sustained', async () => {
    server = await startChild(database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: String(limit) });
    const token = await signIn(server);
    const ids = await queueTemplates(server, token, await createContacts(server, token, 10), count);
    await assertPaced(cloud, ids);
  });
});

describe('WhatsApp pacing with two FlowChat processes on one database [server]', { skip: serverUrl === undefined }, () => {
  let cloud: CloudApiStandIn;
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  before(async () => {
    cloud = await startCloudApiStandIn();
    database = await openTestDatabase('server');
  });
  after(async () => {
    for (const server of servers) await killChild(server);
    await cloud.close();
    await database.close();
  });

  it('shares one limit between them and sends each message exactly once', async () => {
    const env = { ...cloud.env(), DATABASE_URL: database.url ?? '', WHATSAPP_RATE_LIMIT: String(limit) };
    const shared = { env, remove: () => undefined };
    servers.push(await startChild(shared, env), await startChild(shared, env));
    const [first, second] = servers;
    if (!first || !second) throw new Error('two processes expected');
    const token = await signIn(first);
    const contacts = await createContacts(first, token, 10);
    const [one, two] = await Promise.all([queueTemplates(first, token, contacts, count / 2), queueTemplates(second, token, contacts, count / 2)]);
    await assertPaced(cloud, [...(one ?? []), ...(two ?? [])]);
  });
});
