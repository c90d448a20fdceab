/**
 * Attacks on sign-in and authorisation against a real FlowChat on PostgreSQL: password guessing
 * is throttled per email and per address, a logged-out token is dead, an agent reaches no admin
 * route, a revoked API key fails at once, the session cookie is HttpOnly and SameSite, and a
 * cookie-authenticated write from another origin is refused with nothing written.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { before, describe, it } from 'node:test';
import type { ServerProcess } from '../support/processes.js';
import { faultEnvironment } from './support/environment.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, apiAt, signIn, startFlowChat, type Api } from './support/flowchat.js';
import { report } from './support/report.js';

/** A sign-in from the local address `source` (any of 127.0.0.0/8), claiming to forward for `claimed`. */
function loginFrom(url: string, source: string, claimed: string, email: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const call = httpRequest(`${url}/api/v1/auth/login`, { method: 'POST', localAddress: source, headers: { 'content-type': 'application/json', 'x-forwarded-for': claimed } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('error', reject);
    call.end(body);
  });
}

async function login(url: string, email: string, password: string, from: string): Promise<Response> {
  return fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ email, password }),
  });
}

describe('authentication and authorisation abuse', () => {
  const env = faultEnvironment();
  let server: ServerProcess;
  let admin: Api;

  before(async () => {
    // The suite's own requests come from 127.0.0.1, a trusted proxy; 127.0.0.2 plays a client on the internet.
    server = await startFlowChat({ DATABASE_URL: env.database.url ?? '', ...env.cloud.env(), FLOWCHAT_TRUST_PROXY: '127.0.0.1' });
    admin = await signIn(server.url);
  });

  async function createUser(role: 'admin' | 'agent', email: string, password: string): Promise<string> {
    const created = await admin.call('POST', '/api/v1/users', { email, name: `${role} under test`, role, password });
    assert.equal(created.status, 201, created.text);
    return (created.json as { id: string }).id;
  }

  it('throttles password guessing per email and per address, even for the right password', async () => {
    const password = 'victim-password-0137';
    await createUser('agent', 'victim@faults.test', password);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      assert.equal((await login(server.url, 'victim@faults.test', `guess-${attempt}-wrong`, `198.51.100.${attempt + 1}`)).status, 401);
    }
    const afterGuessing = await login(server.url, 'victim@faults.test', password, '198.51.100.200');
    assert.equal(afterGuessing.status, 429, 'the 11th attempt for one email, from a fresh address, with the right password');

    for (let attempt = 0; attempt < 10; attempt += 1) {
      assert.equal((await login(server.url, `nobody${attempt}@faults.test`, 'not-the-password', '203.0.113.7')).status, 401);
    }
    assert.equal((await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, '203.0.113.7')).status, 429, 'an address that sprayed 10 wrong guesses');
    assert.equal((await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, '203.0.113.8')).status, 200, 'other addresses still sign in');
    report('password guessing: 10 wrong passwords for one email; 10 from one address', '429 afterwards, even with the right password', '11th attempt 429 per email and per address; other addresses unaffected');
  });

  it('does not let a client dodge the per-address limit by inventing X-Forwarded-For addresses', async () => {
    const answers: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) answers.push(await loginFrom(server.url, '127.0.0.2', `100.64.0.${attempt + 1}`, `spray${attempt}@faults.test`, 'not-the-password'));
    assert.deepEqual(answers.slice(0, 10), Array.from({ length: 10 }, () => 401));
    assert.equal(answers[10], 429, 'the 11th guess from one real address, whatever it claims to forward for');
    assert.equal(await loginFrom(server.url, '127.0.0.2', '100.64.9.9', ADMIN_EMAIL, ADMIN_PASSWORD), 429);
    report('password spraying from one address, each guess claiming a new X-Forwarded-For', '429 after 10 failures: only trusted proxies (FLOWCHAT_TRUST_PROXY) may name the client', `11th guess answered ${answers[10]}`);
  });

  it('kills a token at logout, for bearer and cookie alike', async () => {
    const response = await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, '192.0.2.10');
    const { token } = (await response.json()) as { token: string };
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = apiAt(server.url, token);
    assert.equal((await session.call('GET', '/api/v1/auth/me')).status, 200);
    assert.equal((await session.call('POST', '/api/v1/auth/logout')).status, 204);
    assert.equal((await session.call('GET', '/api/v1/auth/me')).status, 401, 'bearer after logout');
    assert.equal((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).status, 401, 'cookie after logout');
    report('a session token used after logout', '401 at once', '401 for the bearer token and the cookie');
  });

  it('keeps agents out of every admin route, changing nothing', async () => {
    const password = 'agent-password-4412';
    await createUser('agent', 'agent@faults.test', password);
    const agent = await signIn(server.url, 'agent@faults.test', password);
    const adminId = ((await admin.call('GET', '/api/v1/auth/me')).json as { id: string }).id;
    const key = await admin.call('POST', '/api/v1/api-keys', { name: 'integration' });
    const keyId = (key.json as { id: string }).id;
    const hook = await admin.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.created'] });
    const hookId = (hook.json as { id: string }).id;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users', { email: 'mallory@faults.test', name: 'Mallory', role: 'admin', password: 'mallory-password-1' }],
      ['PATCH', `/api/v1/users/${adminId}`, { password: 'taken-over-password' }],
      ['DELETE', `/api/v1/users/${adminId}`],
      ['GET', '/api/v1/api-keys'],
      ['POST', '/api/v1/api-keys', { name: 'stolen' }],
      ['DELETE', `/api/v1/api-keys/${keyId}`],
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/exfiltrate', events: ['message.created'] }],
      ['GET', `/api/v1/webhooks/${hookId}`],
      ['DELETE', `/api/v1/webhooks/${hookId}`],
      ['GET', `/api/v1/webhooks/${hookId}/deliveries`],
      ['POST', `/api/v1/webhooks/${hookId}/deliveries/1/redeliver`],
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/settings/sender/resume'],
    ];
    const adminPaths = await adminRoutesInDocument();
    const covered = new Set(attempts.map(([method, path]) => `${method} ${path.replace(adminId, ':id').replace(keyId, ':id').replace(hookId, ':id').replace('/1/', '/:event_id/')}`));
    assert.deepEqual(adminPaths.filter((route) => !covered.has(route)), [], 'admin routes this test does not try as an agent');

    const before = await counts();
    const answers: string[] = [];
    for (const [method, path, body] of attempts) {
      const result = await agent.call(method, path, body);
      if (result.status !== 403) answers.push(`${method} ${path}: ${result.status}`);
    }
    assert.deepEqual(answers, [], 'agents get 403 on admin routes');
    assert.deepEqual(await counts(), before, 'nothing changed');
    assert.equal((await signIn(server.url)).token.length > 0, true, 'the admin password still works');
    report('an agent calls every admin route (users, API keys, webhooks, audit, sender)', '403, nothing changed', `${attempts.length} routes, all 403; users, keys and webhooks unchanged`);
  });

  it('refuses a revoked API key at once', async () => {
    const created = await admin.call('POST', '/api/v1/api-keys', { name: 'to revoke' });
    const { id, key } = created.json as { id: string; key: string };
    const integration = apiAt(server.url, key);
    assert.equal((await integration.call('GET', '/api/v1/contacts')).status, 200);
    assert.equal((await admin.call('DELETE', `/api/v1/api-keys/${id}`)).status, 204);
    assert.equal((await integration.call('GET', '/api/v1/contacts')).status, 401, 'the very next request');
    assert.equal((await integration.call('POST', '/api/v1/contacts', { phone: '+14155558001' })).status, 401);
    report('an API key used right after it is revoked', '401 on the next request', '401 on the next read and write');
  });

  it('sets the session cookie HttpOnly and SameSite, and refuses cookie writes from another origin', async () => {
    const response = await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, '192.0.2.20');
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=(Lax|Strict)/i);
    const cookie = setCookie.split(';')[0] ?? '';
    const post = (origin: string | undefined, phone: string): Promise<Response> =>
      fetch(`${server.url}/api/v1/contacts`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
        body: JSON.stringify({ phone, name: 'Forged' }),
      });
    const before = await counts();
    assert.equal((await post(undefined, '+14155558101')).status, 403, 'no Origin');
    assert.equal((await post('http://evil.example', '+14155558102')).status, 403, 'a foreign Origin');
    assert.equal((await post(`http://127.0.0.1:1${new URL(server.url).port}`, '+14155558103')).status, 403, 'another port');
    assert.deepEqual(await counts(), before, 'nothing written');
    assert.equal((await post(server.url, '+14155558104')).status, 201, 'the same origin may write');
    report('cookie-authenticated POST with no Origin, a foreign Origin, another port', '403, nothing written; cookie HttpOnly and SameSite', `403 for all three, row counts unchanged; Set-Cookie: ${setCookie.split(';').slice(1).map((part) => part.trim().split('=')[0]).join('; ')}`);
  });

  async function adminRoutesInDocument(): Promise<string[]> {
    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const adminPrefixes = ['/api/v1/users', '/api/v1/api-keys', '/api/v1/webhooks', '/api/v1/audit', '/api/v1/settings/', '/api/v1/sandbox'];
    return Object.entries(document.paths)
      .filter(([path]) => adminPrefixes.some((prefix) => path.startsWith(prefix)))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
  }

  async function counts(): Promise<Record<string, number>> {
    const count = async (table: 'users' | 'api_keys' | 'webhooks' | 'contacts'): Promise<number> =>
      Number((await env.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await count('users'), api_keys: await count('api_keys'), webhooks: await count('webhooks'), contacts: await count('contacts') };
  }
});
