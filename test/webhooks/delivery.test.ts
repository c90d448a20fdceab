/**
 * Outbound webhook delivery end to end, against real HTTP receivers on 127.0.0.1: signatures over
 * the raw bytes, stable ids across retries, growing waits, restarts, isolation of a failing
 * endpoint, giving up, and redelivery.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, it } from 'node:test';
import { sql } from 'kysely';
import { transaction, type Executor } from '../../src/db/transaction.js';
import type { JsonValue } from '../../src/db/schema.js';
import type { EventType } from '../../src/events/event-types.js';
import { recordEvent, type RecordedEvent } from '../../src/events/record-event.js';
import { DeliveryRepository } from '../../src/outbound-webhooks/delivery.repository.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { startReceiver, waitFor, type Receiver } from './receiver.js';

const fastEnv = {
  FLOWCHAT_WEBHOOK_RETRY_BASE_MS: '100',
  FLOWCHAT_WEBHOOK_POLL_MS: '20',
  FLOWCHAT_WEBHOOK_TIMEOUT_MS: '1500',
};

interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
}

interface DeliveryItem {
  event_id: string;
  type: string;
  status: string;
  attempts: Array<{ at: string; response_status?: number; error?: string }>;
}

/** Records one event in a transaction of its own and reads it back (its id is taken at commit). */
async function recordAndRead(db: Executor, type: EventType, data: JsonValue): Promise<RecordedEvent & { created_at: Date }> {
  await transaction(db, (trx) => recordEvent(trx, type, data));
  const row = await db
    .selectFrom('events')
    .select(['id', 'data', 'created_at'])
    .where('type', '=', type)
    .where(sql<boolean>`data = ${JSON.stringify(data)}::jsonb`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { ...row, type };
}

forEachEngine('outbound webhook delivery', (suite) => {
  let running: TestApp[] = [];
  let receivers: Receiver[] = [];

  async function app(env: Record<string, string> = {}): Promise<TestApp> {
    const started = await startTestApp(suite.database, { ...fastEnv, ...env }, true);
    running.push(started);
    return started;
  }

  async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
    const started = await startReceiver(answer);
    receivers.push(started);
    return started;
  }

  async function subscribe(test: TestApp, url: string, events: EventType[]): Promise<CreatedWebhook> {
    const { token } = await signedInUser(test.ctx, 'admin');
    const response = await test.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: bearer(token), payload: { url, events } });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<CreatedWebhook>();
  }

  async function record(test: TestApp, type: EventType, data: JsonValue): Promise<RecordedEvent & { created_at: Date }> {
    return recordAndRead(test.ctx.db, type, data);
  }

  async function deliveries(test: TestApp, webhookId: string): Promise<DeliveryItem[]> {
    const { token } = await signedInUser(test.ctx, 'admin');
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries`, headers: bearer(token) });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ items: DeliveryItem[] }>().items;
  }

  afterEach(async () => {
    for (const test of running) await test.close();
    for (const started of receivers) await started.close();
    running = [];
    receivers = [];
    // Each test starts from no endpoints, so one test's webhooks never receive another's events.
    await suite.database.db.deleteFrom('webhooks').execute();
  });

  it('POSTs each subscribed event once, signed over the raw bytes, with the event id in body and headers', async () => {
    const test = await app();
    const hook = await receiver();
    const webhook = await subscribe(test, hook.url, ['contact.updated', 'message.created']);

    const data = { id: 'c-1', name: 'Zoë Ålvarez 👋', tags: ['vip'] };
    const event = await record(test, 'contact.updated', data);
    await record(test, 'campaign.updated', { id: 'not subscribed' });
    await transaction(test.ctx.db, async (trx) => {
      await recordEvent(trx, 'message.created', { id: 'rolled back' });
      throw new Error('roll back');
    }).catch(() => undefined);

    await waitFor('the delivery', () => hook.requests.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(hook.requests.length, 1, 'only the committed, subscribed event is sent');

    const [request] = hook.requests;
    assert.ok(request);
    const expected = `sha256=${createHmac('sha256', webhook.secret).update(request.raw).digest('hex')}`;
    assert.equal(request.headers['x-flowchat-signature'], expected);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['x-flowchat-event'], 'contact.updated');
    assert.equal(request.headers['x-flowchat-delivery'], String(event.id));
    const body = JSON.parse(request.raw.toString('utf8')) as { id: string; type: string; created_at: string; data: unknown };
    assert.deepEqual(body, { id: String(event.id), type: 'contact.updated', created_at: event.created_at.toISOString(), data });

    await waitFor('the delivered status', async () => (await deliveries(test, webhook.id))[0]?.status === 'delivered');
    const [delivery] = await deliveries(test, webhook.id);
    assert.equal(delivery?.event_id, String(event.id));
    assert.equal(delivery?.type, 'contact.updated');
    assert.equal(delivery?.attempts.length, 1);
    assert.equal(delivery?.attempts[0]?.response_status, 200);
  });

  it('sends a change made through the REST API with the resource as the API returns it', async () => {
    const test = await app();
    const hook = await receiver();
    await subscribe(test, hook.url, ['contact.updated']);
    const { token } = await signedInUser(test.ctx, 'agent');
    const created = await test.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { phone: '+14155550190', name: 'Before' } });
    assert.equal(created.statusCode, 201, created.body);
    const contactId = created.json<{ id: string }>().id;
    const patched = await test.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, headers: bearer(token), payload: { name: 'After' } });
    assert.equal(patched.statusCode, 200, patched.body);

    const bodies = (): Array<{ type: string; data: { id?: string; name?: string } }> => hook.requests.map((request) => JSON.parse(request.raw.toString('utf8')));
    await waitFor('the renamed contact', () => bodies().some((body) => body.data.name === 'After'));
    const renamed = bodies().find((body) => body.data.name === 'After');
    assert.equal(renamed?.type, 'contact.updated');
    assert.deepEqual(renamed?.data, patched.json(), 'the resource as the REST API returns it');
  });

  it('retries a failing endpoint with the same id and bytes, each wait about twice the one before, until a 2xx', async () => {
    const base = 200;
    const test = await app({ FLOWCHAT_WEBHOOK_RETRY_BASE_MS: String(base) });
    const failures = 4;
    const hook = await receiver((_request, index) => (index < failures ? 500 : 204));
    const webhook = await subscribe(test, hook.url, ['message.updated']);
    const event = await record(test, 'message.updated', { id: 'm-1', status: 'read' });

    await waitFor('the retries', () => hook.requests.length > failures, 15_000);
    const ids = new Set(hook.requests.map((request) => request.headers['x-flowchat-delivery']));
    assert.deepEqual([...ids], [String(event.id)]);
    assert.equal(new Set(hook.requests.map((request) => request.raw.toString('hex'))).size, 1, 'every retry sends the same bytes');
    assert.equal(new Set(hook.requests.map((request) => request.headers['x-flowchat-signature'])).size, 1);

    const waits = hook.requests.slice(1).map((request, index) => request.at - (hook.requests[index]?.at ?? 0));
    // The n-th wait is base × 2^(n-1) ± 20 %, plus what polling and the round trip add.
    assert.equal(waits.length, failures);
    waits.forEach((wait, index) => {
      const nominal = base * 2 ** index;
      assert.ok(wait >= nominal * 0.8 && wait <= nominal * 1.2 + 250, `wait ${index + 1} is ${wait} ms, nominal ${nominal} ms (${waits.join(', ')})`);
      if (index > 0) assert.ok(wait > (waits[index - 1] ?? Infinity), `waits grow (${waits.join(', ')} ms)`);
    });

    await waitFor('the delivered status', async () => (await deliveries(test, webhook.id))[0]?.status === 'delivered');
    const [delivery] = await deliveries(test, webhook.id);
    assert.deepEqual(delivery?.attempts.map((attempt) => attempt.response_status), [500, 500, 500, 500, 204]);
  });

  it('delivers after a restart what was pending or in flight when the process stopped', async () => {
    const first = await app();
    const hook = await receiver(() => 503);
    const webhook = await subscribe(first, hook.url, ['contact.updated']);
    const failed = await record(first, 'contact.updated', { id: 'before the crash' });
    await waitFor('a failed attempt', () => hook.requests.length >= 1);
    await first.close();
    running = running.filter((test) => test !== first);

    // One event written while no dispatcher runs; then a process leases every due delivery and dies.
    const queued = await recordAndRead(suite.database.db, 'contact.updated', { id: 'while down' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const claimed = await new DeliveryRepository(suite.database.db).claim(webhook.id, 10, 700);
    assert.deepEqual(claimed.map((claim) => claim.event_id).sort(), [failed.id, queued.id].sort());

    hook.answer = () => 200;
    const seenBefore = hook.requests.length;
    const second = await app();
    const idsAfterRestart = (): string[] => [...new Set(hook.requests.slice(seenBefore).map((request) => String(request.headers['x-flowchat-delivery'])))];
    await waitFor('both events after the restart', () => idsAfterRestart().length === 2);
    assert.deepEqual(idsAfterRestart().sort(), [String(failed.id), String(queued.id)].sort());
    assert.equal(hook.requests[0]?.headers['x-flowchat-delivery'], String(failed.id), 'the same id as before the crash');
    await waitFor('both delivered', async () => (await deliveries(second, webhook.id)).every((item) => item.status === 'delivered'));
  });

  it('shares the work between two processes on one database without sending an event twice', async () => {
    const [one, two] = [await app(), await app()];
    const hook = await receiver();
    await subscribe(one, hook.url, ['message.created']);
    const events = await Promise.all(Array.from({ length: 30 }, (_, index) => record(index % 2 ? one : two, 'message.created', { id: `m-${index}` })));
    await waitFor('every event', () => hook.requests.length >= events.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = hook.requests.map((request) => String(request.headers['x-flowchat-delivery']));
    assert.equal(ids.length, events.length, 'no event sent twice');
    assert.deepEqual(new Set(ids), new Set(events.map((event) => String(event.id))));
  });

  it('keeps a hanging and a dead endpoint from delaying a healthy one', async () => {
    const test = await app({ FLOWCHAT_WEBHOOK_TIMEOUT_MS: '3000' });
    const slow = await receiver(() => 'hang');
    const dead = await receiver();
    const deadUrl = dead.url;
    await dead.close();
    receivers = receivers.filter((started) => started !== dead);
    const healthy = await receiver();
    await subscribe(test, slow.url, ['message.created']);
    await subscribe(test, deadUrl, ['message.created']);
    await subscribe(test, healthy.url, ['message.created']);

    const started = Date.now();
    for (let index = 0; index < 12; index += 1) await record(test, 'message.created', { id: `m-${index}` });
    await waitFor('every event at the healthy endpoint', () => healthy.requests.length >= 12, 2_500);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2_500, `the healthy endpoint got all 12 in ${elapsed} ms, before the hanging one timed out`);
    assert.ok(slow.requests.length <= 4, 'the hanging endpoint holds only its own slots');
  });

  it('fails a delivery after the retry window, reports the endpoint, and redelivers it on request with the same id', async () => {
    const test = await app({ FLOWCHAT_WEBHOOK_RETRY_WINDOW_SECONDS: '1' });
    const hook = await receiver(() => 500);
    const webhook = await subscribe(test, hook.url, ['campaign.updated']);
    const event = await record(test, 'campaign.updated', { id: 'camp-1', status: 'running' });

    await waitFor('the failed status', async () => (await deliveries(test, webhook.id))[0]?.status === 'failed', 15_000);
    const [failed] = await deliveries(test, webhook.id);
    assert.ok((failed?.attempts.length ?? 0) >= 3);
    assert.ok(failed?.attempts.every((attempt) => attempt.response_status === 500));
    const attemptsAtFailure = hook.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(hook.requests.length, attemptsAtFailure, 'a failed delivery is not retried on its own');

    const { token } = await signedInUser(test.ctx, 'admin');
    const shown = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, headers: bearer(token) });
    assert.equal(shown.json<{ health: { failing: boolean; consecutive_failures: number } }>().health.failing, true);
    const listed = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries`, headers: bearer(token) });
    assert.equal(listed.json<{ health: { failing: boolean; last_error: string } }>().health.failing, true, 'the deliveries list says the endpoint keeps failing');
    assert.equal(listed.json<{ health: { failing: boolean; last_error: string } }>().health.last_error, 'HTTP 500');
    const metrics = (await test.app.inject({ method: 'GET', url: '/metrics' })).body;
    const gauge = new RegExp(`flowchat_webhook_endpoint_consecutive_failures\\{webhook_id="${webhook.id}"\\} (\\d+)`).exec(metrics);
    assert.ok(gauge && Number(gauge[1]) >= 3, 'the failing endpoint is on /metrics');
    assert.match(metrics, /flowchat_webhook_failing_endpoints [1-9]/);

    hook.answer = () => 200;
    const redelivered = await test.app.inject({
      method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${event.id}/redeliver`, headers: bearer(token),
    });
    assert.equal(redelivered.statusCode, 202, redelivered.body);
    assert.equal(redelivered.json<DeliveryItem>().event_id, String(event.id));
    await waitFor('the redelivery', async () => (await deliveries(test, webhook.id))[0]?.status === 'delivered');
    const last = hook.requests[hook.requests.length - 1];
    assert.equal(last?.headers['x-flowchat-delivery'], String(event.id));
    const healed = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, headers: bearer(token) });
    assert.equal(healed.json<{ health: { failing: boolean; consecutive_failures: number } }>().health.consecutive_failures, 0);

    for (const unknown of ['999999', 'abc', '0']) {
      const again = await test.app.inject({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${unknown}/redeliver`, headers: bearer(token) });
      assert.equal(again.statusCode, 404, unknown);
      assert.equal(again.json<{ error: { code: string } }>().error.code, 'delivery_not_found');
    }
  });

  it('refuses to redeliver a pending delivery, and sends nothing more once the webhook is deleted', async () => {
    const test = await app({ FLOWCHAT_WEBHOOK_RETRY_BASE_MS: '2000' });
    const hook = await receiver(() => 500);
    const webhook = await subscribe(test, hook.url, ['contact.updated']);
    const event = await record(test, 'contact.updated', { id: 'c-2' });
    await waitFor('the first attempt', () => hook.requests.length >= 1);

    const { token } = await signedInUser(test.ctx, 'admin');
    const pending = await test.app.inject({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${event.id}/redeliver`, headers: bearer(token) });
    assert.equal(pending.statusCode, 422);
    assert.equal(pending.json<{ error: { code: string } }>().error.code, 'invalid_state');

    const deleted = await test.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: bearer(token) });
    assert.equal(deleted.statusCode, 204);
    const seen = hook.requests.length;
    await record(test, 'contact.updated', { id: 'c-3' });
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    assert.equal(hook.requests.length, seen, 'neither the retry nor the new event is sent');
    assert.equal((await suite.database.db.selectFrom('webhook_deliveries').select('id').execute()).length, 0);
  });
});
