import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { busiestWindow, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine, openTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';
import { childDatabase, createContacts, killChild, queueTemplates, signIn, startChild, type ChildDatabase } from '../support/flowchat-child.js';
import type { ServerProcess } from '../support/processes.js';

// FlowChat runs in child processes, so what is measured is what leaves them; the stand-in times
// arrivals on a thread of its own and counts over true one-second windows, forgiving only what its
// own stalls (measured per arrival: `notBefore`) made look like a burst. src/whatsapp/pacer.ts has
// the arithmetic this holds by.
const limit = 40;
const count = 200;

/** Sends per second between the first and the last arrival. */
function sustained(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return (sorted.length - 1) / (((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / 1000);
}

/**
 * How long the processes' main threads (their event loops) were runnable but not running, in ms,
 * as Linux counts it (/proc/…/schedstat); undefined elsewhere. Said with a failed floor: a sender
 * the machine does not run cannot keep its slots, and the rule forbids catching up in a burst.
 */
function waitedForCpu(servers: readonly ServerProcess[]): number | undefined {
  try {
    return servers.reduce((sum, server) => sum + Number(readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6, 0);
  } catch {
    return undefined;
  }
}

async function assertPaced(cloud: CloudApiStandIn, ids: readonly string[], servers: readonly ServerProcess[]): Promise<void> {
  const mine = (): typeof cloud.requests => cloud.sends().filter((send) => ids.includes(String(send.body?.['biz_opaque_callback_data'])));
  const waitedBefore = waitedForCpu(servers);
  await cloud.waitForSends(ids.length, 60_000, (send) => ids.includes(String(send.body?.['biz_opaque_callback_data'])));
  const waited = waitedBefore === undefined ? undefined : (waitedForCpu(servers) ?? waitedBefore) - waitedBefore;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sends = mine();
  assert.equal(sends.length, ids.length);
  assert.equal(new Set(sends.map((send) => send.body?.['biz_opaque_callback_data'])).size, ids.length, 'each message sent once');
  const busiest = busiestWindow(sends, 1_000);
  assert.ok(busiest.count <= limit, `at most ${limit} in any second as the Cloud API sees it, got ${busiest.count} (${busiest.byStamp} by arrival stamps alone)`);
  const rate = sustained(sends.map((send) => send.at));
  const starved = waited === undefined ? '' : `; FlowChat waited ${Math.round(waited)} ms for a CPU while sending (load ${loadavg().map((value) => value.toFixed(1)).join(' ')})`;
  assert.ok(rate >= limit * 0.9, `sustained ${rate.toFixed(1)}/s, at least 90 % of ${limit}/s${starved}`);
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
    await assertPaced(cloud, ids, [server]);
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
    await assertPaced(cloud, [...(one ?? []), ...(two ?? [])], servers);
  });
});
