/**
 * Sender throughput: a real `flowchat serve` process at WHATSAPP_RATE_LIMIT=1000 sends a campaign
 * (created through its own API) to the stand-in Cloud API running in this process, which records
 * when each send arrives: the sustained rate, and the most sends in any one-second window (as the
 * stand-in's arrival bounds prove it, beside the count by its stamps alone, which a stall of the
 * stand-in's own thread can inflate: see test/support/cloud-api-stand-in.ts).
 */
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { busiestWindow, startCloudApiStandIn, type CloudApiStandIn, type RecordedRequest } from '../../test/support/cloud-api-stand-in.js';
import { startServerProcess } from '../../test/support/processes.js';
import { dropDatabase, freshServerDatabase } from '../bench-database.js';
import { databaseName, withDatabase, type BenchConfig } from '../config.js';
import type { Figure } from '../results.js';
import { stopChild } from '../support/child-server.js';

const email = 'bench-admin@flowchat.test';
const password = 'benchmark-password';

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * The arrival times of the campaign's sends, once all `count` arrived or none came for 10 s (a
 * sender that stalls is reported with what it managed, not waited for forever).
 */
async function arrivalsOf(cloud: CloudApiStandIn, count: number): Promise<RecordedRequest[]> {
  let seen = 0;
  let lastProgress = performance.now();
  while (seen < count && performance.now() - lastProgress < 10_000) {
    await sleep(100);
    const now = cloud.sends().length;
    if (now > seen) lastProgress = performance.now();
    seen = now;
  }
  return cloud.sends().sort((a, b) => a.at - b.at);
}

export async function senderFigures(config: BenchConfig, log: (line: string) => void): Promise<Figure[]> {
  const count = config.senderMessages;
  const limit = config.senderRateLimit;
  const url = withDatabase(config.serverUrl, `${databaseName(config.serverUrl)}_sender`);
  const database = await freshServerDatabase(url);
  await sql`
    INSERT INTO contacts (phone, name, tags)
    SELECT '+55119' || (70000000 + g), 'Recipient ' || g, '{sender}' FROM generate_series(1, ${count}::int) g
  `.execute(database.db);
  await database.close();

  const cloud = await startCloudApiStandIn();
  const server = await startServerProcess({
    DATABASE_URL: url,
    ...cloud.env(),
    WHATSAPP_RATE_LIMIT: String(limit),
    FLOWCHAT_ADMIN_EMAIL: email,
    FLOWCHAT_ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
  });
  let arrivals: RecordedRequest[];
  try {
    const token = await signIn(server.url);
    const created = await fetch(`${server.url}/api/v1/campaigns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Throughput', template: { name: 'spring_sale', language: 'en_US' }, audience: { tags: ['sender'] } }),
    });
    if (created.status !== 201) throw new Error(`the campaign answered ${created.status}: ${await created.text()}`);
    arrivals = await arrivalsOf(cloud, count);
  } finally {
    await stopChild(server.child);
    await cloud.close();
    await dropDatabase(url);
  }
  const first = arrivals[0]?.at ?? 0;
  const last = arrivals[arrivals.length - 1]?.at ?? 0;
  const rate = (arrivals.length - 1) / ((last - first) / 1000);
  const { count: busiest, byStamp } = busiestWindow(arrivals, 1_000);
  log(`  sender: ${arrivals.length} of ${count} sends at ${rate.toFixed(0)}/s, at most ${busiest} in any second (${byStamp} by arrival stamps alone)`);
  return [
    {
      id: 'sender.rate',
      label: `Sender throughput at WHATSAPP_RATE_LIMIT=${limit} (${count} sends)`,
      value: `${rate.toFixed(0)}/s${arrivals.length < count ? ` (${arrivals.length} arrived)` : ''}`,
      floor: `${limit}/s (the limit)`,
      ratio: rate / limit,
      goal: { text: '≥ 950/s', met: rate >= 950 && arrivals.length === count },
      data: { per_second: rate, sends: arrivals.length, seconds: (last - first) / 1000 },
    },
    {
      id: 'sender.window',
      label: 'Most sends in any one-second window',
      value: `${busiest} (${byStamp} by stamps alone)`,
      floor: `${limit} (the limit)`,
      ratio: busiest / limit,
      goal: { text: `≤ ${limit}`, met: busiest <= limit },
      data: { max_in_window: busiest, max_in_window_by_stamp: byStamp },
    },
  ];
}
