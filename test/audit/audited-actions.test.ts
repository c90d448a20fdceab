/**
 * Every audited action reachable through the accounts, contacts and campaigns API lands in the audit log,
 * readable as soon as the request that caused it has answered, with the right actor and target.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';

interface AuditItem {
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  details: Record<string, unknown>;
}

forEachEngine('audited actions', (suite) => {
  let test: TestApp;
  let admin: { authorization: string };
  let adminId: string;
  let adminEmail: string;
  let adminPassword: string;

  before(async () => {
    test = await startTestApp(suite.database);
    const signedIn = await signedInUser(test.ctx, 'admin');
    admin = bearer(signedIn.token);
    adminId = signedIn.user.id;
    adminEmail = signedIn.user.email;
    adminPassword = signedIn.password;
  });

  after(async () => {
    await test.close();
  });

  /** The newest entry for `target_id` (or of `action`), read right after the request answered. */
  async function latest(filter: { target_id?: string; action?: string }): Promise<AuditItem> {
    const query = new URLSearchParams({ limit: '1', ...filter }).toString();
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: admin });
    assert.equal(response.statusCode, 200, response.body);
    const [entry] = response.json<{ items: AuditItem[] }>().items;
    assert.ok(entry, `an entry for ${query}`);
    return entry;
  }

  it('sign-ins, successful and failed', async () => {
    const ok = await test.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: adminEmail, password: adminPassword } });
    assert.equal(ok.statusCode, 200, ok.body);
    const login = await latest({ action: 'auth.login' });
    assert.deepEqual(login.actor, { type: 'user', id: adminId });
    assert.deepEqual(login.target, { type: 'user', id: adminId });

    const failed = await test.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: adminEmail, password: 'wrong password!' } });
    assert.equal(failed.statusCode, 401);
    const entry = await latest({ action: 'auth.login_failed' });
    assert.equal(entry.actor.type, 'system');
    assert.equal(entry.details['email'], adminEmail);
    assert.ok(!JSON.stringify(entry).includes('wrong password!'), 'the attempted password is not recorded');
  });

  it('user creation, change and deletion, by the acting admin', async () => {
    const created = await test.app.inject({
      method: 'POST', url: '/api/v1/users', headers: admin,
      payload: { email: `audited.${Date.now()}@example.com`, name: 'Audited Agent', role: 'agent', password: 'a long enough password' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const userId = created.json<{ id: string }>().id;
    assert.equal((await latest({ target_id: userId })).action, 'user.created');

    const updated = await test.app.inject({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers: admin, payload: { name: 'Renamed Agent' } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal((await latest({ target_id: userId })).action, 'user.updated');

    const deleted = await test.app.inject({ method: 'DELETE', url: `/api/v1/users/${userId}`, headers: admin });
    assert.ok(deleted.statusCode === 204 || deleted.statusCode === 200, deleted.body);
    const entry = await latest({ target_id: userId });
    assert.equal(entry.action, 'user.deleted');
    assert.deepEqual(entry.actor, { type: 'user', id: adminId });
  });

  it('API key creation and revocation, and actions taken with a key name the key as actor', async () => {
    const created = await test.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: admin, payload: { name: 'helpdesk' } });
    assert.equal(created.statusCode, 201, created.body);
    const { id: keyId, key } = created.json<{ id: string; key: string }>();
    const entry = await latest({ target_id: keyId });
    assert.equal(entry.action, 'api_key.created');
    assert.ok(!JSON.stringify(entry).includes(key), 'the key itself is not recorded');

    const contact = await test.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(key), payload: { phone: '+14155550170' } });
    assert.equal(contact.statusCode, 201, contact.body);
    const contactId = contact.json<{ id: string }>().id;
    const removed = await test.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contactId}`, headers: bearer(key) });
    assert.ok(removed.statusCode === 204 || removed.statusCode === 200, removed.body);
    const deletion = await latest({ target_id: contactId });
    assert.equal(deletion.action, 'contact.deleted');
    assert.deepEqual(deletion.actor, { type: 'api_key', id: keyId });

    const revoked = await test.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${keyId}`, headers: admin });
    assert.ok(revoked.statusCode === 204 || revoked.statusCode === 200, revoked.body);
    assert.equal((await latest({ target_id: keyId })).action, 'api_key.revoked');
  });

  it('contact deletion, opt-out and opt-in by an agent, and imports', async () => {
    const agent = await signedInUser(test.ctx, 'agent');
    const created = await test.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(agent.token), payload: { phone: '+14155550171', name: 'Opting' } });
    assert.equal(created.statusCode, 201, created.body);
    const contactId = created.json<{ id: string }>().id;

    for (const [optedOut, action] of [[true, 'contact.opted_out'], [false, 'contact.opted_in']] as const) {
      const changed = await test.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, headers: bearer(agent.token), payload: { opted_out: optedOut } });
      assert.equal(changed.statusCode, 200, changed.body);
      const entry = await latest({ target_id: contactId });
      assert.equal(entry.action, action);
      assert.deepEqual(entry.actor, { type: 'user', id: agent.user.id });
    }

    const deleted = await test.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contactId}`, headers: bearer(agent.token) });
    assert.ok(deleted.statusCode === 204 || deleted.statusCode === 200, deleted.body);
    const entry = await latest({ target_id: contactId });
    assert.equal(entry.action, 'contact.deleted');
    assert.equal(entry.details['phone'], '+14155550171');

    const imported = await test.app.inject({
      method: 'POST', url: '/api/v1/contacts/import', headers: { ...bearer(agent.token), 'content-type': 'text/csv' },
      payload: 'phone,name,email,tags\n+14155550172,Imported,,a;b\nnot a phone,Broken,,\n',
    });
    assert.equal(imported.statusCode, 200, imported.body);
    const importEntry = await latest({ action: 'contacts.imported' });
    assert.deepEqual(importEntry.actor, { type: 'user', id: agent.user.id });
    assert.equal(importEntry.details['created'], 1);
  });

  it('opt-out and opt-in by keyword, with FlowChat itself as actor', async () => {
    for (const [text, action] of [['STOP', 'contact.opted_out'], ['start', 'contact.opted_in']] as const) {
      const inbound = await test.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: admin, payload: { phone: '+14155550174', text } });
      assert.equal(inbound.statusCode, 201, inbound.body);
      const entry = await latest({ target_id: inbound.json<{ contact: { id: string } }>().contact.id });
      assert.equal(entry.action, action);
      assert.equal(entry.actor.type, 'system');
    }
  });

  it('campaign creation, pause, resume and cancel', async () => {
    const agent = await signedInUser(test.ctx, 'agent');
    const contact = await test.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(agent.token), payload: { phone: '+14155550173', tags: ['audited'] } });
    assert.equal(contact.statusCode, 201, contact.body);
    const created = await test.app.inject({
      method: 'POST', url: '/api/v1/campaigns', headers: bearer(agent.token),
      payload: { name: 'Audited', template: { name: 'welcome', language: 'en_US' }, audience: { tags: ['audited'] } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const campaignId = created.json<{ id: string }>().id;
    const entry = await latest({ target_id: campaignId });
    assert.equal(entry.action, 'campaign.created');
    assert.deepEqual(entry.actor, { type: 'user', id: agent.user.id });

    for (const [step, action] of [['pause', 'campaign.paused'], ['resume', 'campaign.resumed'], ['cancel', 'campaign.canceled']] as const) {
      const response = await test.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/${step}`, headers: bearer(agent.token) });
      assert.equal(response.statusCode, 200, `${step}: ${response.body}`);
      assert.equal((await latest({ target_id: campaignId })).action, action);
    }
  });
});
