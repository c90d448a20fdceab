import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

forEachEngine('API key routes', (suite) => {
  const t = suiteApp(suite);
  const create = (token: string, name = 'integration') =>
    t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name } });

  it('lets only admins in: anonymous 401, agent 403, on every route', async () => {
    const { token: admin } = await signedInUser(t.ctx, 'admin');
    const { token: agent } = await signedInUser(t.ctx, 'agent');
    const id = (await create(admin)).json().id;
    const routes = [
      { method: 'GET' as const, url: '/api/v1/api-keys' },
      { method: 'POST' as const, url: '/api/v1/api-keys', payload: { name: 'x' } },
      { method: 'DELETE' as const, url: `/api/v1/api-keys/${id}` },
    ];
    for (const route of routes) {
      assert.equal((await t.app.inject(route)).statusCode, 401, `${route.method} ${route.url} anonymous`);
      assert.equal((await t.app.inject({ ...route, headers: bearer(agent) })).statusCode, 403, `${route.method} ${route.url} agent`);
    }
  });

  it('shows the key once, stores only its hash, and lists keys without it', async () => {
    const { token, user } = await signedInUser(t.ctx, 'admin');
    const response = await create(token, 'Zapier');
    assert.equal(response.statusCode, 201);
    const created = response.json();
    assert.deepEqual(Object.keys(created).sort(), ['created_at', 'created_by', 'id', 'key', 'last_used_at', 'name', 'prefix']);
    assert.match(created.prefix, /^fc_[a-z0-9]{8}$/);
    assert.ok(created.key.startsWith(`${created.prefix}_`));
    assert.equal(created.created_by, user.id);
    const row = await t.ctx.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.notEqual(row.key_hash, created.key);
    assert.doesNotMatch(JSON.stringify(row), new RegExp(created.key.slice(12)));

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(token) });
    assert.equal(list.statusCode, 200);
    const listed = list.json().items.find((item: { id: string }) => item.id === created.id);
    assert.deepEqual(Object.keys(listed).sort(), ['created_at', 'created_by', 'id', 'last_used_at', 'name', 'prefix']);
    assert.ok(!list.body.includes(created.key.slice(12)), 'the secret never appears again');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', created.id).execute();
    assert.deepEqual(audit, [{ action: 'api_key.created', actor_id: user.id }]);
  });

  it('authenticates as Bearer with its creator’s role, records last_used_at, and stops at once when revoked', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    const created = (await create(token)).json();
    const asKey = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(created.key) });
    assert.equal(asKey.statusCode, 200, 'an admin’s key may do what admins do');
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(created.key) })).json();
    assert.equal(me.authenticated_by, 'api_key');
    assert.equal(me.id, created.created_by);
    const used = await t.ctx.db.selectFrom('api_keys').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(used.last_used_at instanceof Date);

    // Actions through a key are audited as the key.
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(created.key), payload: { phone: '+14155550199', opted_out: true } });
    assert.equal(contact.statusCode, 201);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['actor_type', 'actor_id']).where('action', '=', 'contact.opted_out').where('target_id', '=', contact.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(audit, { actor_type: 'api_key', actor_id: created.id });

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: bearer(token) });
    assert.equal(revoked.statusCode, 204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer(created.key) });
    assert.equal(after.statusCode, 401);
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(token) })).json();
    assert.ok(!list.items.some((item: { id: string }) => item.id === created.id));
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: bearer(token) });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, 'api_key_not_found');
    const revokedAudit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', created.id).where('action', '=', 'api_key.revoked').execute();
    assert.equal(revokedAudit.length, 1);
  });

  it('follows its creator: demoted, the key acts as an agent; deleted, the key stops', async () => {
    const { token: adminToken } = await signedInUser(t.ctx, 'admin');
    const { user: creator, token: creatorToken } = await signedInUser(t.ctx, 'admin');
    const key = (await create(creatorToken)).json().key;
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${creator.id}`, headers: bearer(adminToken), payload: { role: 'agent' } });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(key) })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer(key) })).statusCode, 200);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${creator.id}`, headers: bearer(adminToken) });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer(key) })).statusCode, 401);
  });

  it('refuses a key it did not issue, and bad names with 400', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer('fc_abcdefgh_notarealkey') })).statusCode, 401);
    for (const payload of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 'ok', extra: 1 }]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().error.code, 'validation_failed');
    }
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/api-keys/nope', headers: bearer(token) })).statusCode, 404);
  });
});
