import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteApp } from '../support/suite-app.js';

let counter = 0;
const newUser = (overrides: object = {}) => {
  counter += 1;
  return { email: `person${counter}@example.com`, name: `Person ${counter}`, role: 'agent', password: 'a long enough password', ...overrides };
};

forEachEngine('user routes', (suite) => {
  const t = suiteApp(suite);

  it('lets only admins in: anonymous 401, agent 403, on every route', async () => {
    const { token: agent } = await signedInUser(t.ctx, 'agent');
    const { user } = await signedInUser(t.ctx, 'agent');
    const routes = [
      { method: 'GET' as const, url: '/api/v1/users' },
      { method: 'POST' as const, url: '/api/v1/users', payload: newUser() },
      { method: 'PATCH' as const, url: `/api/v1/users/${user.id}`, payload: { name: 'X' } },
      { method: 'DELETE' as const, url: `/api/v1/users/${user.id}` },
    ];
    for (const route of routes) {
      const anonymous = await t.app.inject(route);
      assert.equal(anonymous.statusCode, 401, `${route.method} ${route.url} anonymous`);
      assert.equal(anonymous.json().error.code, 'unauthorized');
      const forbidden = await t.app.inject({ ...route, headers: bearer(agent) });
      assert.equal(forbidden.statusCode, 403, `${route.method} ${route.url} agent`);
      assert.equal(forbidden.json().error.code, 'forbidden');
    }
  });

  it('lets any signed-in user list the team by name, to assign a conversation, without emails', async () => {
    const { token: agent, user: me } = await signedInUser(t.ctx, 'agent');
    const { user: colleague } = await signedInUser(t.ctx, 'admin');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/agents' })).statusCode, 401);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/agents', headers: bearer(agent) });
    assert.equal(response.statusCode, 200);
    const items = response.json().items as Array<Record<string, unknown>>;
    assert.deepEqual(items.find((item) => item['id'] === colleague.id), { id: colleague.id, name: colleague.name, role: 'admin' });
    const position = (id: string) => items.findIndex((item) => item['id'] === id);
    assert.ok(position(me.id) >= 0);
    assert.ok(position(colleague.id) < position(me.id), `sorted by name: ${colleague.name} before ${me.name}`);
    assert.doesNotMatch(response.body, /email|password/);
  });

  it('creates, lists, changes and deletes users, never showing a password hash, and audits each change', async () => {
    const { token, user: admin } = await signedInUser(t.ctx, 'admin');
    const input = newUser({ email: 'Mixed.Case@Example.com' });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: input });
    assert.equal(created.statusCode, 201);
    const user = created.json();
    assert.deepEqual(Object.keys(user).sort(), ['available', 'created_at', 'email', 'id', 'name', 'role', 'updated_at']);
    assert.equal(user.email, 'Mixed.Case@Example.com');
    assert.equal(user.role, 'agent');
    assert.doesNotMatch(created.body, /argon2|password/);

    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'mixed.case@example.com', password: input.password } });
    assert.equal(signIn.statusCode, 200, 'the new user can sign in');

    const page = await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: bearer(token) });
    assert.equal(page.statusCode, 200);
    assert.ok(page.json().items.some((item: { id: string }) => item.id === user.id));
    assert.doesNotMatch(page.body, /argon2|password/);

    const changed = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(token), payload: { name: '  Renamed ', role: 'admin' } });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().name, 'Renamed');
    assert.equal(changed.json().role, 'admin');

    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: bearer(token) });
    assert.equal(removed.statusCode, 204);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: bearer(token) })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(token), payload: { name: 'x' } })).json().error.code, 'user_not_found');

    const actions = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', user.id).orderBy('id').execute();
    assert.deepEqual(actions.map((entry) => entry.action).filter((action) => action.startsWith('user.')), ['user.created', 'user.updated', 'user.deleted']);
    assert.ok(actions.filter((entry) => entry.action.startsWith('user.')).every((entry) => entry.actor_id === admin.id));
  });

  it('pages the list with a cursor', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    for (let index = 0; index < 3; index++) await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: newUser() });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await t.app.inject({ method: 'GET', url: `/api/v1/users?limit=2${query}`, headers: bearer(token) });
      assert.equal(page.statusCode, 200);
      seen.push(...page.json().items.map((item: { id: string }) => item.id));
      cursor = page.json().next_cursor;
    } while (cursor !== null);
    const total = await t.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(seen.length, Number(total.n));
    assert.equal(new Set(seen).size, seen.length);
    const tampered = await t.app.inject({ method: 'GET', url: '/api/v1/users?cursor=abc.def', headers: bearer(token) });
    assert.equal(tampered.statusCode, 400);
    assert.equal(tampered.json().error.code, 'invalid_cursor');
  });

  it('refuses a duplicate email in any case with 409 duplicate_email, on create and on change', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    const first = newUser();
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: first })).statusCode, 201);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: newUser({ email: first.email.toUpperCase() }) });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'duplicate_email');
    const other = (await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: newUser() })).json();
    const clash = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${other.id}`, headers: bearer(token), payload: { email: first.email.toUpperCase() } });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, 'duplicate_email');
    const own = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${other.id}`, headers: bearer(token), payload: { email: other.email.toUpperCase() } });
    assert.equal(own.statusCode, 200, 'a user may keep its own email in another case');
  });

  it('refuses invalid bodies with 400 naming the field, and writes nothing', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    const cases: Array<[object, string]> = [
      [newUser({ password: 'short' }), 'password'],
      [newUser({ email: 'not-an-email' }), 'email'],
      [newUser({ role: 'owner' }), 'role'],
      [newUser({ name: '   ' }), 'name'],
      [{ ...newUser(), extra: true }, 'extra'],
      [{ email: 'x@example.com', name: 'X', role: 'agent' }, 'password'],
    ];
    for (const [payload, field] of cases) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().error.code, 'validation_failed');
      assert.equal(response.json().error.details[0].field, field);
    }
    const users = await t.ctx.db.selectFrom('users').select('email').where('email', 'in', ['not-an-email', 'x@example.com']).execute();
    assert.deepEqual(users, []);
    const { user } = await signedInUser(t.ctx, 'agent');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(token), payload: { password: 'short' } });
    assert.equal(patch.statusCode, 400);
    assert.equal(patch.json().error.details[0].field, 'password');
  });

  it('a new password ends the user’s sessions at once, except the caller’s own', async () => {
    const { token: adminToken } = await signedInUser(t.ctx, 'admin');
    const { user, token } = await signedInUser(t.ctx, 'agent');
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(adminToken), payload: { password: 'another long password' } });
    assert.equal(changed.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'another long password' } });
    assert.equal(signIn.statusCode, 200);

    const { user: self, token: selfToken } = await signedInUser(t.ctx, 'admin');
    const own = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${self.id}`, headers: bearer(selfToken), payload: { password: 'my new long password' } });
    assert.equal(own.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(selfToken) })).statusCode, 200);
    const audit = await t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'user.updated').where('target_id', '=', self.id).executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(audit.details), /my new long password/);
  });

  it('a role change takes effect at once', async () => {
    const { token: adminToken } = await signedInUser(t.ctx, 'admin');
    const { user, token } = await signedInUser(t.ctx, 'admin');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode, 200);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(adminToken), payload: { role: 'agent' } });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token) })).statusCode, 403);
  });

  it('deleting a user keeps their messages and ends their sessions', async () => {
    const { token: adminToken } = await signedInUser(t.ctx, 'admin');
    const { user, token } = await signedInUser(t.ctx, 'agent');
    const contact = await t.ctx.db.insertInto('contacts').values({ phone: uniquePhone() }).returning('id').executeTakeFirstOrThrow();
    const message = await t.ctx.db
      .insertInto('messages')
      .values({ contact_id: contact.id, from_user_id: user.id, type: 'text', content: 'hello', direction: 'outbound', status: 'sent' })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: bearer(adminToken) })).statusCode, 204);
    const kept = await t.ctx.db.selectFrom('messages').select(['id', 'from_user_id', 'content']).where('id', '=', message.id).executeTakeFirstOrThrow();
    assert.deepEqual(kept, { id: message.id, from_user_id: null, content: 'hello' });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401);
  });

  it('keeps at least one admin: the last cannot be demoted or deleted (422 last_admin)', async () => {
    const { user: admin, token } = await signedInUser(t.ctx, 'admin');
    // Make this the only admin in the suite's database.
    await t.ctx.db.updateTable('users').set({ role: 'agent' }).where('id', '<>', admin.id).where('role', '=', 'admin').execute();
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, headers: bearer(token), payload: { role: 'agent' } });
    assert.equal(demote.statusCode, 422);
    assert.equal(demote.json().error.code, 'last_admin');
    const remove = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${admin.id}`, headers: bearer(token) });
    assert.equal(remove.statusCode, 422);
    const still = await t.ctx.db.selectFrom('users').select('role').where('id', '=', admin.id).executeTakeFirstOrThrow();
    assert.equal(still.role, 'admin');
    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: newUser({ role: 'admin' }) })).json();
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${admin.id}`, headers: bearer(token) })).statusCode, 204, 'with another admin, it may go');
    assert.equal(second.role, 'admin');
  });

  it('answers 404 for an id that names no user', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: bearer(token), payload: { name: 'X' } });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'user_not_found');
    }
  });
});
