import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';

forEachEngine('Automation and business-hours routes', (suite) => {
  let t: TestApp;
  let admin: string;
  let agent: string;

  before(async () => {
    t = await startTestApp(suite.database);
    admin = (await signedInUser(t.ctx, 'admin')).token;
    agent = (await signedInUser(t.ctx, 'agent')).token;
  });
  after(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, token = admin) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  const valid = {
    name: 'Prices',
    trigger: 'message.received',
    conditions: { keywords: ['price', 'preço'], match: 'contains', tags: [' VIP '] },
    actions: [{ type: 'reply', message: { type: 'text', content: 'See our prices' } }, { type: 'add_tags', tags: ['Lead'] }, { type: 'close' }],
  };

  it('creates, lists in creation order, reads, changes and deletes an automation, and audits each change', async () => {
    const created = await call('POST', '/api/v1/automations', valid);
    assert.equal(created.statusCode, 201, created.payload);
    const body = created.json();
    assert.equal(body.name, 'Prices');
    assert.equal(body.enabled, true);
    assert.deepEqual(body.conditions, { keywords: ['price', 'preço'], match: 'contains', tags: ['vip'] });
    assert.deepEqual(body.actions[1], { type: 'add_tags', tags: ['lead'] });
    const second = (await call('POST', '/api/v1/automations', { ...valid, name: 'Second' })).json();
    const list = await call('GET', '/api/v1/automations');
    assert.deepEqual(list.json().items.map((item: { id: string }) => item.id).slice(-2), [body.id, second.id]);
    assert.equal((await call('GET', `/api/v1/automations/${body.id}`)).json().name, 'Prices');
    const patched = await call('PATCH', `/api/v1/automations/${body.id}`, { enabled: false, trigger: 'conversation.opened' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().enabled, false);
    assert.equal(patched.json().trigger, 'conversation.opened');
    assert.deepEqual(patched.json().actions, body.actions);
    assert.equal((await call('DELETE', `/api/v1/automations/${body.id}`)).statusCode, 204);
    assert.equal((await call('GET', `/api/v1/automations/${body.id}`)).json().error.code, 'automation_not_found');
    const audit = (await call('GET', '/api/v1/audit?limit=20')).json().items.filter((item: { target: { id: string } }) => item.target.id === body.id);
    assert.deepEqual(audit.map((item: { action: string }) => item.action), ['automation.deleted', 'automation.updated', 'automation.created']);
  });

  it('refuses bad rules with a 4xx naming the problem, and stores nothing', async () => {
    const before = (await call('GET', '/api/v1/automations')).json().items.length;
    const bad: Array<[unknown, number]> = [
      [{ ...valid, trigger: 'message.sent' }, 400],
      [{ ...valid, actions: [] }, 400],
      [{ ...valid, actions: [{ type: 'reply', message: { type: 'text', content: 'a' } }, { type: 'reply', message: { type: 'text', content: 'b' } }] }, 400],
      [{ ...valid, actions: [{ type: 'reply', message: { type: 'text', content: '' } }] }, 400],
      [{ ...valid, actions: [{ type: 'assign', strategy: 'random' }] }, 400],
      [{ ...valid, actions: [{ type: 'assign', user_id: '0b7a2c4e-3f1d-4c8e-9a6b-5d2e1f0a9c8b' }] }, 404],
      [{ ...valid, conditions: { channel_ids: ['not-a-uuid'] } }, 400],
      [{ ...valid, conditions: { keywords: { values: ['x'], match: 'fuzzy' } } }, 400],
      [{ ...valid, conditions: { unknown: true } }, 400],
      [{ ...valid, name: '   ' }, 400],
    ];
    for (const [payload, status] of bad) {
      const response = await call('POST', '/api/v1/automations', payload);
      assert.equal(response.statusCode, status, JSON.stringify(payload));
      assert.ok(response.json().error.code);
    }
    assert.equal((await call('GET', '/api/v1/automations')).json().items.length, before);
    assert.equal((await call('PATCH', '/api/v1/automations/nope', { enabled: true })).statusCode, 404);
  });

  it('lets only admins manage automations', async () => {
    assert.equal((await call('GET', '/api/v1/automations', undefined, agent)).statusCode, 403);
    assert.equal((await call('POST', '/api/v1/automations', valid, agent)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/automations' })).statusCode, 401);
  });

  it('keeps business hours in an IANA time zone: defaults, a round trip, and 400 for an unknown zone or a bad interval', async () => {
    const defaults = await call('GET', '/api/v1/business-hours', undefined, agent);
    assert.equal(defaults.statusCode, 200);
    assert.equal(defaults.json().timezone, 'UTC');
    const hours = { timezone: 'America/Sao_Paulo', week: { mon: [['09:00', '12:00'], ['13:00', '18:00']], sat: [['10:00', '14:00']] }, closed_dates: ['2026-12-25', '2026-01-01'] };
    const saved = await call('PUT', '/api/v1/business-hours', hours);
    assert.equal(saved.statusCode, 200, saved.payload);
    const read = (await call('GET', '/api/v1/business-hours', undefined, agent)).json();
    assert.equal(read.timezone, 'America/Sao_Paulo');
    assert.deepEqual(read.week.mon, [['09:00', '12:00'], ['13:00', '18:00']]);
    assert.deepEqual(read.closed_dates, ['2026-01-01', '2026-12-25']);
    for (const payload of [
      { ...hours, timezone: 'Mars/Olympus_Mons' },
      { ...hours, week: { mon: [['18:00', '09:00']] } },
      { ...hours, week: { mon: [['25:00', '26:00']] } },
      { ...hours, closed_dates: ['2026-02-30'] },
      { ...hours, closed_dates: ['0000-01-01'] },
      { ...hours, week: { someday: [] } },
    ]) {
      const refused = await call('PUT', '/api/v1/business-hours', payload);
      assert.equal(refused.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal((await call('PUT', '/api/v1/business-hours', hours, agent)).statusCode, 403);
    assert.equal((await call('GET', '/api/v1/business-hours', undefined, agent)).json().timezone, 'America/Sao_Paulo');
  });
});
