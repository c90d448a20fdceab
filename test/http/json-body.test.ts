import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteApp } from '../support/suite-app.js';

forEachEngine('JSON request bodies', (suite) => {
  const t = suiteApp(suite);

  it('takes an empty body sent as JSON as no body: body-less routes work, others answer 400 from their schema', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const headers = { ...bearer(token), 'content-type': 'application/json' };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { phone: uniquePhone() } });
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${created.json().id}`, headers, payload: '' });
    assert.equal(removed.statusCode, 204);
    const empty = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers, payload: '' });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.code, 'validation_failed');
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers, payload: '{"phone":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'invalid_json');
    const poisoned = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers, payload: '{"phone":"+14155550123","__proto__":{"admin":true}}' });
    assert.equal(poisoned.statusCode, 400);
    const loggedOut = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers, payload: '' });
    assert.equal(loggedOut.statusCode, 204);
  });
});
