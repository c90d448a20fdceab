import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { busiestWindow, startCloudApiStandIn, type CloudApiStandIn, type RecordedRequest } from '../support/cloud-api-stand-in.js';
import { forEachEngine, type EngineSuite } from '../support/databases.js';
import { eventually } from '../support/whatsapp.js';
import { createContacts, uniqueTag, type ContactSpec } from './fixtures.js';

type Counts = Record<'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled', number>;

interface CampaignBody {
  id: string;
  status: string;
  total: number;
  counts: Counts;
}

const RATE = 20;

/** The app with its workers (the sender included) sending to `cloud`. */
async function deliveringApp(suite: EngineSuite, cloud: CloudApiStandIn, env: Record<string, string> = {}) {
  const test = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: String(RATE), ...env }, true);
  const headers = bearer((await signedInUser(test.ctx, 'agent')).token);
  return { test, headers };
}

forEachEngine('campaign delivery through the sender', (suite) => {
  let cloud: CloudApiStandIn;
  let running: TestApp | undefined;

  before(async () => {
    cloud = await startCloudApiStandIn();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    cloud.script(undefined);
    cloud.reset();
  });
  after(async () => cloud.close());

  async function start(env: Record<string, string> = {}) {
    const started = await deliveringApp(suite, cloud, env);
    running = started.test;
    return started;
  }

  async function launch(headers: { authorization: string }, specs: readonly ContactSpec[], components?: object[]) {
    const tag = uniqueTag('d');
    const contacts = await createContacts(suite.database, specs.map((spec) => ({ ...spec, tags: [tag] })));
    const response = await running?.app.inject({
      method: 'POST', url: '/api/v1/campaigns', headers,
      payload: { name: `Delivery ${tag}`, template: { name: 'welcome', language: 'en_US', ...(components ? { components } : {}) }, audience: { tags: [tag] } },
    });
    assert.equal(response?.statusCode, 201, response?.body);
    return { campaign: response.json<CampaignBody>(), contacts, phones: new Set(contacts.map((contact) => contact.phone)) };
  }

  async function campaign(headers: { authorization: string }, id: string): Promise<CampaignBody> {
    const response = await running?.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}`, headers });
    assert.equal(response?.statusCode, 200, response?.body);
    return response.json<CampaignBody>();
  }

  const mine = (phones: Set<string | null>) => (request: RecordedRequest) => phones.has(String(request.body?.['to']));
  const sum = (counts: Counts) => Object.values(counts).reduce((total, n) => total + n, 0);

  it('sends one template per recipient, resolved, paced at the rate limit as the Cloud API sees it', async () => {
    const { headers } = await start();
    const specs = Array.from({ length: 40 }, (_, index) => ({ name: `Buyer ${index}` }));
    const { campaign: created, phones } = await launch(headers, specs, [{ type: 'body', parameters: [{ type: 'text', text: 'Hi {{name}}' }] }]);
    const sends = await cloud.waitForSends(40, 15_000, mine(phones));
    assert.equal(new Set(sends.map((send) => send.body?.['to'])).size, 40, 'each contact once');
    // True one-second windows: FlowChat shares this thread's event loop, but the stand-in times
    // arrivals on a thread of its own and forgives only its own measured stalls.
    const busiest = busiestWindow(sends, 1_000);
    assert.ok(busiest.count <= RATE, `at most ${RATE} in any second, saw ${busiest.count} (${busiest.byStamp} by arrival stamps alone)`);
    for (const send of sends) {
      assert.equal(send.body?.['type'], 'template');
      const template = send.body?.['template'] as { name: string; language: { code: string }; components: [{ parameters: [{ text: string }] }] };
      assert.equal(template.name, 'welcome');
      assert.deepEqual(template.language, { code: 'en_US' });
      assert.match(template.components[0].parameters[0].text, /^Hi Buyer \d+$/);
    }
    const done = await eventually(async () => {
      const current = await campaign(headers, created.id);
      return current.status === 'completed' ? current : undefined;
    }, 10_000, 'the campaign to complete');
    assert.equal(done.counts.sent, 40);
    assert.equal(sum(done.counts), done.total);
  });

  it('lets an agent’s reply overtake the queued campaign', async () => {
    const { headers } = await start({ WHATSAPP_RATE_LIMIT: '10' });
    const { phones } = await launch(headers, Array.from({ length: 40 }, () => ({})));
    await cloud.waitForSends(3, 10_000, mine(phones));
    const [customer] = await createContacts(suite.database, [{ inboundHoursAgo: 1 }]);
    assert.ok(customer);
    const reply = await running?.app.inject({
      method: 'POST', url: `/api/v1/contacts/${customer.id}/messages`, headers, payload: { type: 'text', content: 'Right away!' },
    });
    assert.equal(reply?.statusCode, 202, reply?.body);
    const campaignSendsBefore = cloud.sends().filter(mine(phones)).length;
    const [answer] = await cloud.waitForSends(1, 10_000, (request) => request.body?.['to'] === customer.phone);
    const overtaken = cloud.sends().filter((request) => mine(phones)(request) && request.at < (answer?.at ?? 0)).length - campaignSendsBefore;
    assert.ok(overtaken <= 3, `the reply waited behind ${overtaken} campaign messages`);
    assert.ok(cloud.sends().filter(mine(phones)).length < 40, 'the campaign was still going');
  });

  it('pauses (nothing more reaches the Cloud API) and resumes where it stopped, no contact twice', async () => {
    const { headers } = await start({ WHATSAPP_RATE_LIMIT: '10' });
    const { campaign: created, phones } = await launch(headers, Array.from({ length: 30 }, () => ({})));
    await cloud.waitForSends(5, 10_000, mine(phones));
    const paused = await running?.app.inject({ method: 'POST', url: `/api/v1/campaigns/${created.id}/pause`, headers });
    assert.equal(paused?.json<CampaignBody>().status, 'paused');
    // Sends already claimed when the pause committed still go out; then nothing.
    await sleep(1_000);
    const atPause = cloud.sends().filter(mine(phones)).length;
    await sleep(1_500);
    assert.equal(cloud.sends().filter(mine(phones)).length, atPause, 'no sends while paused');
    assert.ok(atPause < 30);

    const resumed = await running?.app.inject({ method: 'POST', url: `/api/v1/campaigns/${created.id}/resume`, headers });
    assert.equal(resumed?.json<CampaignBody>().status, 'running');
    const sends = await cloud.waitForSends(30, 15_000, mine(phones));
    assert.equal(new Set(sends.map((send) => send.body?.['to'])).size, 30);
    await sleep(300);
    assert.equal(cloud.sends().filter(mine(phones)).length, 30, 'no contact messaged twice');
  });

  it('cancels what is not yet sent; the counts add up and `sent` is what the Cloud API accepted', async () => {
    const { headers } = await start({ WHATSAPP_RATE_LIMIT: '10' });
    const { campaign: created, phones } = await launch(headers, Array.from({ length: 30 }, () => ({})));
    const rejected = new Set<string>();
    cloud.script((request) => {
      // Every fifth recipient is not on WhatsApp.
      const to = String(request.body?.['to']);
      if (!phones.has(to) || cloud.sends().filter(mine(phones)).length % 5 !== 0) return undefined;
      rejected.add(to);
      return { kind: 'error', code: 131026 };
    });
    await cloud.waitForSends(8, 10_000, mine(phones));
    const canceled = await running?.app.inject({ method: 'POST', url: `/api/v1/campaigns/${created.id}/cancel`, headers });
    assert.equal(canceled?.json<CampaignBody>().status, 'canceled');

    const settled = await eventually(async () => {
      const current = await campaign(headers, created.id);
      return current.counts.pending === 0 ? current : undefined;
    }, 10_000, 'messages in flight to settle');
    await sleep(500);
    const received = cloud.sends().filter(mine(phones));
    const accepted = received.filter((request) => !rejected.has(String(request.body?.['to'])));
    assert.equal(sum(settled.counts), settled.total);
    assert.equal(settled.counts.sent + settled.counts.delivered + settled.counts.read, accepted.length);
    assert.equal(settled.counts.failed, rejected.size);
    assert.equal(settled.counts.canceled, settled.total - received.length);
    assert.ok(settled.counts.canceled > 0);
    assert.equal(new Set(received.map((request) => request.body?.['to'])).size, received.length, 'no contact twice');

    const failed = await running?.app.inject({ method: 'GET', url: `/api/v1/campaigns/${created.id}/recipients?status=failed`, headers });
    const items = failed?.json<{ items: { error: { code: string } | null }[] }>().items ?? [];
    assert.equal(items.length, rejected.size);
    assert.ok(items.every((item) => item.error?.code === '131026'));
  });

  it('waits at the daily limit, visibly, instead of failing', async () => {
    const { headers } = await start({ FLOWCHAT_DAILY_LIMIT: '3' });
    await suite.database.db.deleteFrom('messaging_limit_reach').execute();
    const { campaign: created, phones } = await launch(headers, [{}, {}, {}, {}, {}, { inboundHoursAgo: 1 }]);
    // Three out-of-window contacts fill the cap; the in-window one costs nothing.
    await cloud.waitForSends(4, 10_000, mine(phones));
    await sleep(1_500);
    assert.equal(cloud.sends().filter(mine(phones)).length, 4);
    const waiting = await running?.app.inject({ method: 'GET', url: `/api/v1/campaigns/${created.id}/recipients?status=pending`, headers });
    const items = waiting?.json<{ items: { reason: string | null }[] }>().items ?? [];
    assert.deepEqual(items.map((item) => item.reason), ['daily_limit', 'daily_limit']);
    assert.equal((await campaign(headers, created.id)).status, 'running');

    // A day later the window has room again.
    await suite.database.db.updateTable('messaging_limit_reach').set({ reached_at: new Date(Date.now() - 25 * 3600_000) }).execute();
    await cloud.waitForSends(6, 10_000, mine(phones));
    await eventually(async () => (await campaign(headers, created.id)).status === 'completed', 10_000, 'the campaign to complete');
  });
});
