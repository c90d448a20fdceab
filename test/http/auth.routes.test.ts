import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser, startTestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  const match = /flowchat_session=([^;]*)/.exec(header);
  assert.ok(match, 'a session cookie is set');
  return match[1] ?? '';
}

forEachEngine('auth routes', (suite) => {
  const t = suiteApp(suite);
  const login = (payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers });

  it('signs in with any case of the email: token, user without hash, expiry and an HttpOnly SameSite=Lax cookie', async () => {
    const { user, password } = await signedInUser(t.ctx, 'agent');
    const response = await login({ email: user.email.toUpperCase(), password });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(typeof body.token, 'string');
    assert.deepEqual(Object.keys(body.user).sort(), ['available', 'created_at', 'email', 'id', 'name', 'role', 'updated_at']);
    assert.equal(body.user.id, user.id);
    assert.ok(Date.parse(body.expires_at) > Date.now() + 6 * 86_400_000);
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.equal(sessionCookie(response.headers['set-cookie']), body.token);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(body.token) });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, user.id);
    assert.equal(me.json().user.email, user.email);
    assert.equal(me.json().channel, 'sandbox');
    assert.equal(me.json().authenticated_by, 'session');

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('target_id', '=', user.id).execute();
    assert.equal(audit.length, 1);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { user, password } = await signedInUser(t.ctx);
    const response = await login({ email: user.email, password }, { 'x-forwarded-proto': 'https' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['set-cookie']), /Secure/);
  });

  it('answers an unknown email and a wrong password with the same 401 body, in similar time', async () => {
    const { user } = await signedInUser(t.ctx);
    const timed = async (payload: object) => {
      const started = process.hrtime.bigint();
      const response = await login(payload, { 'x-forwarded-for': '198.51.100.7' });
      return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    // Interleaved, and compared by their fastest runs: load on a shared machine only ever adds
    // time, so the minimum is the cost of the path itself.
    type Run = Awaited<ReturnType<typeof timed>>;
    const unknownRuns: Run[] = [];
    const wrongRuns: Run[] = [];
    for (let run = 0; run < 7; run++) {
      await t.ctx.db.deleteFrom('login_attempts').execute();
      unknownRuns.push(await timed({ email: 'nobody@example.com', password: 'whatever it is' }));
      wrongRuns.push(await timed({ email: user.email, password: 'whatever it is' }));
    }
    await t.ctx.db.deleteFrom('login_attempts').execute();
    const fastest = (runs: Run[]) => runs.reduce((best, run) => (run.ms < best.ms ? run : best));
    const unknown = fastest(unknownRuns);
    const wrong = fastest(wrongRuns);
    assert.equal(unknown.response.statusCode, 401);
    assert.equal(wrong.response.statusCode, 401);
    assert.deepEqual(unknown.response.json(), wrong.response.json());
    assert.equal(wrong.response.json().error.code, 'invalid_credentials');
    const ratio = Math.max(unknown.ms, wrong.ms) / Math.min(unknown.ms, wrong.ms);
    assert.ok(ratio < 2, `similar timing (${unknown.ms.toFixed(1)} ms vs ${wrong.ms.toFixed(1)} ms)`);
    const failures = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login_failed').execute();
    assert.ok(failures.some((entry) => entry.details['email'] === 'nobody@example.com'));
  });

  it('refuses malformed logins with 400 naming the field', async () => {
    for (const [payload, field] of [[{ password: 'x' }, 'email'], [{ email: 'a@b.co' }, 'password'], [{ email: '', password: 'x' }, 'email']] as const) {
      const response = await login(payload);
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'validation_failed');
      assert.equal(response.json().error.details[0].field, field);
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{nope', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error.code, 'invalid_json');
  });

  it('throttles one email after 10 failures, even with the right password, across processes sharing the database', async () => {
    const { user, password } = await signedInUser(t.ctx);
    const other = await startTestApp(suite.database);
    try {
      for (let attempt = 0; attempt < 10; attempt++) {
        // Alternate between the two apps and addresses: the count lives in the database, per email.
        const app = attempt % 2 === 0 ? t.app : other.app;
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: user.email, password: 'wrong password' },
          headers: { 'x-forwarded-for': `203.0.113.${attempt + 1}` },
        });
        assert.equal(response.statusCode, 401);
      }
      const blocked = await other.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password },
        headers: { 'x-forwarded-for': '203.0.113.99' },
      });
      assert.equal(blocked.statusCode, 429);
      assert.equal(blocked.json().error.code, 'too_many_requests');
    } finally {
      await other.close();
    }
    // Once the window has passed, the right password works again.
    await t.ctx.db.updateTable('login_attempts').set({ at: new Date(Date.now() - 16 * 60_000) }).execute();
    const later = await login({ email: user.email, password }, { 'x-forwarded-for': '203.0.113.100' });
    assert.equal(later.statusCode, 200);
  });

  it('throttles one address after 10 failures, whatever the emails', async () => {
    const { user, password } = await signedInUser(t.ctx);
    const headers = { 'x-forwarded-for': '192.0.2.44' };
    for (let attempt = 0; attempt < 10; attempt++) {
      assert.equal((await login({ email: `guess${attempt}@example.com`, password: 'nope' }, headers)).statusCode, 401);
    }
    const blocked = await login({ email: user.email, password }, headers);
    assert.equal(blocked.statusCode, 429);
    assert.equal((await login({ email: user.email, password }, { 'x-forwarded-for': '192.0.2.45' })).statusCode, 200);
  });

  it('logs out: the token and the cookie stop working at once', async () => {
    const { user, password } = await signedInUser(t.ctx);
    const body = (await login({ email: user.email, password })).json();
    const second = (await login({ email: user.email, password })).json();
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(body.token) });
    assert.equal(out.statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(body.token) })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { flowchat_session: body.token } })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(second.token) })).statusCode, 200, 'other sessions stay');
  });

  it('accepts the cookie for reads and same-origin writes, and refuses cookie writes from another origin (CSRF)', async () => {
    const { user, password } = await signedInUser(t.ctx);
    const token = sessionCookie((await login({ email: user.email, password })).headers['set-cookie']);
    const cookies = { flowchat_session: token };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().id, user.id);
    assert.match(String(me.headers['set-cookie']), /flowchat_session=.*Max-Age=/, 'the cookie slides with the session');
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies, headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.statusCode, 403);
    assert.equal(foreign.json().error.code, 'csrf_origin_mismatch');
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies });
    assert.equal(missing.statusCode, 403);
    const same = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies, headers: { origin: 'http://flowchat.test', host: 'flowchat.test' } });
    assert.equal(same.statusCode, 204);
    assert.match(String(same.headers['set-cookie']), /flowchat_session=;/, 'the cookie is cleared');
  });

  it('needs a session for logout and me', async () => {
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode, 401);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    assert.equal(me.statusCode, 401);
    assert.equal(me.json().error.code, 'unauthorized');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer('not-a-token') })).statusCode, 401);
  });
});

forEachEngine('auth routes with the Cloud API configured', (suite) => {
  const t = suiteApp(suite, {
    WHATSAPP_ACCESS_TOKEN: 'token',
    WHATSAPP_PHONE_NUMBER_ID: '123',
    WHATSAPP_APP_SECRET: 'secret',
    WHATSAPP_VERIFY_TOKEN: 'verify',
  });

  it('reports the cloud_api channel', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    assert.equal(me.json().channel, 'cloud_api');
  });
});
