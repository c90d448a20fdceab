/**
 * PostgreSQL refusing connections mid-campaign (a TCP proxy between FlowChat and the server drops
 * every connection and refuses new ones), then coming back. While it is gone: /healthz says 503
 * within 5 s, the API and Meta's webhook answer 503 promptly (never 500, never hanging), and the
 * sender stops. Once it is back, the same process recovers on its own and nothing is lost.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inboundTextWebhookBody } from '../support/cloud-api-stand-in.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { faultEnvironment } from './support/environment.js';
import { importContacts, phones, postWebhook, signIn, startCampaign, startFlowChat, waitFor, type Api } from './support/flowchat.js';
import { assertCampaignSentOnce, countByStatus } from './support/outcomes.js';
import { report } from './support/report.js';
import { openEventStream } from './support/sse-client.js';

const outageMs = 8_000;
const answerWithinMs = 5_000;

interface Timed {
  readonly status: number;
  readonly ms: number;
}

async function timed(request: () => Promise<number>): Promise<Timed> {
  const started = performance.now();
  let status: number;
  try {
    status = await request();
  } catch {
    status = 0;
  }
  return { status, ms: performance.now() - started };
}

describe('the database goes away and comes back', () => {
  const env = faultEnvironment();
  let proxy: TcpProxy;

  before(async () => {
    const target = new URL(env.database.url ?? '');
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });

  after(async () => {
    await proxy.close();
  });

  it('answers 503 quickly while it is gone, pauses sending, and recovers without a restart or a loss', async () => {
    const { database, cloud } = env;
    const viaProxy = new URL(database.url ?? '');
    viaProxy.port = String(proxy.port);
    const server = await startFlowChat({ DATABASE_URL: viaProxy.toString(), ...cloud.env(), WHATSAPP_RATE_LIMIT: '50', DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    const api = await signIn(server.url);
    await importContacts(api, phones(400, 30_000), 'outage');
    const stream = await openEventStream(server.url, api.token);
    const campaign = await startCampaign(api, 'outage');
    const acknowledged: string[] = [];
    const inbound = async (): Promise<number> => {
      const wamid = `wamid.OUT${acknowledged.length}${Date.now()}`;
      const status = await postWebhook(server.url, inboundTextWebhookBody({ from: '14155557001', text: 'still there?', wamid }), cloud.appSecret, 20_000);
      if (status === 200) acknowledged.push(wamid);
      return status;
    };
    assert.equal(await inbound(), 200);
    await cloud.waitForSends(100, 30_000);

    proxy.cut();
    const cutAt = performance.now();
    const health: Timed[] = [];
    const firstUnhealthy = await waitFor('/healthz to answer 503', async () => {
      const answer = await timed(async () => (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(20_000) })).status);
      health.push(answer);
      return answer.status === 503 ? performance.now() - cutAt : undefined;
    }, 20_000, 100);
    assert.ok(firstUnhealthy <= answerWithinMs, `/healthz took ${Math.round(firstUnhealthy)} ms to report the outage`);
    assert.ok(health.every((answer) => answer.status === 200 || answer.status === 503), `/healthz answered ${health.map((answer) => answer.status).join(', ')}`);

    const sendsAtPause = cloud.sends().length;
    const during: Array<Timed & { what: string }> = [];
    const probe = async (what: string, request: (api: Api) => Promise<number>): Promise<void> => {
      during.push({ what, ...(await timed(() => request(api))) });
    };
    while (performance.now() - cutAt < outageMs) {
      await probe('GET /api/v1/contacts', async (client) => (await client.call('GET', '/api/v1/contacts')).status);
      await probe('POST /api/v1/contacts', async (client) => (await client.call('POST', '/api/v1/contacts', { phone: '+14155557002', name: 'During outage' })).status);
      await probe(`GET /api/v1/campaigns/:id`, async (client) => (await client.call('GET', `/api/v1/campaigns/${campaign.id}`)).status);
      await probe('GET /api/v1/auth/me', async (client) => (await client.call('GET', '/api/v1/auth/me')).status);
      await probe('POST /webhooks/whatsapp', inbound);
      await probe('GET /healthz', async () => (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(20_000) })).status);
      await sleep(200);
    }
    const sendsDuringOutage = cloud.sends().length - sendsAtPause;
    // Sends already slotted at the cut may still leave; nothing new is claimed while the database is gone.
    const pausedFrom = performance.timeOrigin + cutAt + 2_000;
    const lateSends = cloud.sends().filter((request) => request.at > pausedFrom).length;
    assert.equal(lateSends, 0, 'sends went out more than 2 s into the outage');
    const bad = during.filter((answer) => answer.status !== 503 || answer.ms > answerWithinMs);
    assert.deepEqual(bad.map((answer) => `${answer.what}: ${answer.status} in ${Math.round(answer.ms)} ms`), [], 'every request during the outage gets a prompt 503');

    proxy.restore();
    const restoredAt = performance.now();
    await waitFor('/healthz to answer 200 again', async () => (await fetch(`${server.url}/healthz`)).status === 200, 30_000, 200);
    const healthyAfterMs = performance.now() - restoredAt;
    assert.equal(await inbound(), 200, 'webhooks are accepted again');
    assert.equal((await api.call('POST', '/api/v1/contacts', { phone: '+14155557003', name: 'After outage' })).status, 201);
    const { rows, ledger } = await assertCampaignSentOnce(database.db, cloud, campaign.id, acknowledged);
    assert.equal(ledger.delivered().size, 400);
    const missingFromStream = (): number => {
      const streamed = new Set(stream.events.filter((event) => event.event === 'message.updated').map((event) => (event.data as { id: string }).id));
      return rows.filter((row) => !streamed.has(row.id)).length;
    };
    await waitFor('the event stream opened before the outage to carry every send', () => missingFromStream() === 0, 20_000);
    stream.close();
    assert.equal(server.child.exitCode, null, 'the process is still the same one');

    report(
      'PostgreSQL refuses connections for 8 s mid-campaign (TCP proxy cut), then returns',
      '/healthz 503 within 5 s; API and webhooks 503 within 5 s, never 500; sender pauses; recovery without restart; nothing lost',
      `/healthz 503 after ${(firstUnhealthy / 1000).toFixed(1)} s; ${during.length} requests during the outage all 503 (slowest ${Math.round(Math.max(...during.map((answer) => answer.ms)))} ms); ` +
        `${sendsDuringOutage} sends while down (all slotted before the cut, none after 2 s); healthy ${(healthyAfterMs / 1000).toFixed(1)} s after restore; ${countByStatus(rows)}, 0 duplicates; ${acknowledged.length} acknowledged webhooks stored; SSE stream kept every event`,
    );
  });
});
