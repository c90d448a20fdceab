/**
 * `/api/v1/webhooks` without the dispatcher running: registration and its validation, the secret
 * shown once and kept encrypted, admin-only access, deletion, the deliveries list and its paging,
 * and the audit entries of creation and deletion.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { transaction } from '../../src/db/transaction.js';
import { recordEvent } from '../../src/events/record-event.js';
import { SecretBox } from '../../src/outbound-webhooks/secret-box.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';

interface WebhookBody {
  id: string;
  url: string;
  events: string[];
  secret?: string;
  health: { consecutive_failures: number; failing: boolean };
}

forEachEngine('webhook routes', (suite) => {
  let test: TestApp;
  let admin: { authorization: string };
  let adminId: string;
  let agent: { authorization: string };

  before(async () => {
    test = await startTestApp(suite.database);
    const signedIn = await signedInUser(test.ctx, 'admin');
    admin = bearer(signedIn.token);
    adminId = signedIn.user.id;
    agent = bearer((await signedInUser(test.ctx, 'agent')).token);
  });

  after(async () => {
    await test.close();
  });

  const create = (payload: object, headers = admin) => test.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload });

  it('registers an endpoint, shows a generated secret once, and keeps it only encrypted', async () => {
    const response = await create({ url: 'https://example.com/hooks', events: ['message.created', 'contact.updated', 'message.created'] });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<WebhookBody>();
    assert.equal(created.url, 'https://example.com/hooks');
    assert.deepEqual(created.events, ['message.created', 'contact.updated']);
    assert.match(created.secret ?? '', /^whsec_[A-Za-z0-9_-]{43}$/);

    const listed = await test.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin });
    const item = listed.json<{ items: WebhookBody[] }>().items.find((webhook) => webhook.id === created.id);
    assert.ok(item);
    assert.equal(item.secret, undefined);
    assert.ok(!listed.body.includes(created.secret ?? '-'));
    const one = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}`, headers: admin });
    assert.equal(one.statusCode, 200);
    assert.ok(!one.body.includes(created.secret ?? '-'));
    assert.deepEqual(one.json<WebhookBody>().health, { consecutive_failures: 0, failing: false, last_success_at: null, last_failure_at: null, last_error: null });

    const row = await test.ctx.db.selectFrom('webhooks').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(created.secret ?? '-'), 'the secret is not stored in plain text');
    const box = new SecretBox(test.ctx.db);
    assert.equal(await box.open(row.secret_ciphertext, created.id), created.secret);
    await assert.rejects(box.open(row.secret_ciphertext, '00000000-0000-4000-8000-000000000000'), 'bound to its webhook');
  });

  it('uses a given secret, and accepts loopback and private addresses', async () => {
    const secret = 'a-secret-of-my-own-choosing';
    for (const url of ['http://127.0.0.1:8080/in', 'http://localhost/x', 'http://10.1.2.3/hook', 'http://[::1]:9000/', 'https://192.168.0.10/a?b=c']) {
      const response = await create({ url, events: ['campaign.updated'], secret });
      assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
      assert.equal(response.json<WebhookBody>().secret, secret);
    }
  });

  it('answers 400 for anything but an http or https URL, unknown events and weak secrets', async () => {
    const cases: Array<[object, string]> = [
      [{ url: 'ftp://example.com/x', events: ['message.created'] }, 'invalid_url'],
      [{ url: 'file:///etc/passwd', events: ['message.created'] }, 'invalid_url'],
      [{ url: 'javascript:alert(1)', events: ['message.created'] }, 'invalid_url'],
      [{ url: 'not a url', events: ['message.created'] }, 'invalid_url'],
      [{ url: 'https://user:pass@example.com/x', events: ['message.created'] }, 'invalid_url'],
      [{ url: 'https://example.com/x', events: ['message.exploded'] }, 'validation_failed'],
      [{ url: 'https://example.com/x', events: [] }, 'validation_failed'],
      [{ url: 'https://example.com/x' }, 'validation_failed'],
      [{ events: ['message.created'] }, 'validation_failed'],
      [{ url: 'https://example.com/x', events: ['message.created'], secret: 'short' }, 'validation_failed'],
      [{ url: 'https://example.com/x', events: ['message.created'], extra: true }, 'validation_failed'],
    ];
    for (const [payload, code] of cases) {
      const response = await create(payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json<{ error: { code: string } }>().error.code, code, JSON.stringify(payload));
    }
  });

  it('is for admins only: 401 without credentials, 403 for agents, on every route', async () => {
    const created = (await create({ url: 'https://example.com/guarded', events: ['message.created'] })).json<WebhookBody>();
    const routes: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }> = [
      { method: 'GET', url: '/api/v1/webhooks' },
      { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://example.com/x', events: ['message.created'] } },
      { method: 'GET', url: `/api/v1/webhooks/${created.id}` },
      { method: 'DELETE', url: `/api/v1/webhooks/${created.id}` },
      { method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries` },
      { method: 'POST', url: `/api/v1/webhooks/${created.id}/deliveries/1/redeliver` },
    ];
    for (const route of routes) {
      const anonymous = await test.app.inject({ ...route });
      assert.equal(anonymous.statusCode, 401, `${route.method} ${route.url}`);
      const asAgent = await test.app.inject({ ...route, headers: agent });
      assert.equal(asAgent.statusCode, 403, `${route.method} ${route.url}`);
    }
    assert.equal((await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}`, headers: admin })).statusCode, 200, 'still there');
  });

  it('deletes an endpoint with its deliveries; unknown ids are 404', async () => {
    const created = (await create({ url: 'https://example.com/short-lived', events: ['contact.updated'] })).json<WebhookBody>();
    await transaction(test.ctx.db, (trx) => recordEvent(trx, 'contact.updated', { id: 'c' }));
    const deleted = await test.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, headers: admin });
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    const rows = await test.ctx.db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', created.id).execute();
    assert.equal(rows.length, 0);
    for (const id of [created.id, 'not-a-uuid']) {
      for (const [method, url] of [['DELETE', `/api/v1/webhooks/${id}`], ['GET', `/api/v1/webhooks/${id}`], ['GET', `/api/v1/webhooks/${id}/deliveries`]] as const) {
        const response = await test.app.inject({ method, url, headers: admin });
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.equal(response.json<{ error: { code: string } }>().error.code, 'webhook_not_found');
      }
    }
  });

  it('lists deliveries newest first, paged and filtered by status', async () => {
    const created = (await create({ url: 'https://example.com/paged', events: ['message.created', 'message.updated'] })).json<WebhookBody>();
    const ids: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      await transaction(test.ctx.db, (trx) => recordEvent(trx, index % 2 ? 'message.updated' : 'message.created', { id: `m${index}` }));
      const event = await test.ctx.db.selectFrom('events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      ids.push(event.id);
    }
    await test.ctx.db.updateTable('webhook_deliveries').set({ status: 'failed', finished_at: new Date() }).where('event_id', '=', ids[1] ?? 0).execute();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries${query}`, headers: admin });
      assert.equal(page.statusCode, 200, page.body);
      const body = page.json<{ items: Array<{ event_id: string; type: string; status: string; attempts: unknown[] }>; next_cursor: string | null }>();
      assert.ok(body.items.length <= 2);
      for (const item of body.items) {
        assert.deepEqual(item.attempts, []);
        seen.push(item.event_id);
      }
      cursor = body.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ids.map(String).reverse());

    const failed = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries?status=failed`, headers: admin });
    assert.deepEqual(failed.json<{ items: Array<{ event_id: string }> }>().items.map((item) => item.event_id), [String(ids[1])]);
    const tampered = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries?cursor=abc.def`, headers: admin });
    assert.equal(tampered.statusCode, 400);
    assert.equal(tampered.json<{ error: { code: string } }>().error.code, 'invalid_cursor');
    const badStatus = await test.app.inject({ method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries?status=lost`, headers: admin });
    assert.equal(badStatus.statusCode, 400);
  });

  it('audits creation and deletion with the acting admin and the webhook as target', async () => {
    const created = (await create({ url: 'https://example.com/audited', events: ['message.created'] })).json<WebhookBody>();
    await test.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, headers: admin });
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/audit?target_id=${created.id}`, headers: admin });
    assert.equal(response.statusCode, 200, response.body);
    const entries = response.json<{ items: Array<{ action: string; actor: object; target: object; details: Record<string, unknown> }> }>().items;
    assert.deepEqual(entries.map((entry) => entry.action), ['webhook.deleted', 'webhook.created']);
    for (const entry of entries) {
      assert.deepEqual(entry.actor, { type: 'user', id: adminId });
      assert.deepEqual(entry.target, { type: 'webhook', id: created.id });
      assert.equal(entry.details['url'], 'https://example.com/audited');
      assert.ok(!JSON.stringify(entry).includes(created.secret ?? '-'), 'no secret in the audit log');
    }
  });
});
