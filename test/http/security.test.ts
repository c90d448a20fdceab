import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

forEachEngine('security headers, body limits and rate limits', (suite) => {
  const t = suiteApp(suite);

  it('sends security headers on every response, errors included, with a same-origin content policy', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const responses = [
      await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer(token) }),
      await t.app.inject({ method: 'GET', url: '/api/v1/contacts' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' }),
      await t.app.inject({ method: 'GET', url: '/metrics' }),
    ];
    for (const response of responses) {
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.ok(response.headers['x-frame-options']);
      const policy = String(response.headers['content-security-policy']);
      assert.match(policy, /default-src 'self'/);
      assert.match(policy, /script-src 'self'/);
      assert.doesNotMatch(policy, /upgrade-insecure-requests/);
    }
    assert.equal(responses[2]?.statusCode, 404);
    assert.equal(responses[2]?.json().error.code, 'route_not_found');
  });

  it('refuses JSON bodies over 1 MB with 413', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ phone: '+14155550123', metadata: { blob: 'x'.repeat(1024 * 1024) } }),
    });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error.code, 'payload_too_large');
  });

  it('lets a client still uploading an oversize body read its 413, on a connection that stays open', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({ phone: '+14155550123', name: 'x'.repeat(2 * 1024 * 1024) });
    const outcomes = new Map<string, number>();
    // Fastify alone answers before reading and hangs up, so some of these uploads ended in EPIPE.
    for (let round = 0; round < 40; round += 1) {
      const outcome = await fetch(`${address}/api/v1/contacts`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body })
        .then(async (response) => `${response.status} ${((await response.json()) as { error: { code: string } }).error.code} ${response.headers.get('connection')}`)
        .catch((error: unknown) => `failed: ${String(error)}`);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.deepEqual([...outcomes], [['413 payload_too_large keep-alive', 40]]);
  });

  it('rate-limits login requests per address in memory, before any password is hashed', async () => {
    const headers = { 'x-forwarded-for': '198.18.0.1' };
    let limited = 0;
    for (let attempt = 0; attempt < 125; attempt++) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: {} });
      if (response.statusCode === 429) {
        limited += 1;
        assert.equal(response.json().error.code, 'too_many_requests');
      } else {
        assert.equal(response.statusCode, 400);
      }
    }
    assert.equal(limited, 5);
  });
});
