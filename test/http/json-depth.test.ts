import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteApp } from '../support/suite-app.js';

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

forEachEngine('deeply nested JSON bodies', (suite) => {
  const t = suiteApp(suite);

  it('refuses free-form JSON nested thousands of levels deep with a 400 (it used to be a 500), storing nothing', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const headers = { ...bearer(token), 'content-type': 'application/json' };
    const contact = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { phone: uniquePhone(), tags: ['deep'] } });
    const contactId = contact.json<{ id: string }>().id;
    const count = async (table: 'contacts' | 'messages' | 'campaigns'): Promise<number> =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('contacts'), await count('messages'), await count('campaigns')];
    const template = `{"name":"deep_notice","language":"en_US","components":[{"type":"body","parameters":${nested(5_000)}}]}`;
    const bodies: Array<[string, string, string]> = [
      ['POST', '/api/v1/contacts', `{"phone":"${uniquePhone()}","metadata":{"k":${nested(5_000)}}}`],
      ['PATCH', `/api/v1/contacts/${contactId}`, `{"metadata":{"k":${nested(5_000)}}}`],
      ['POST', '/api/v1/campaigns', `{"name":"deep","template":${template},"audience":{"tags":["deep"]}}`],
      ['POST', '/api/v1/messages/bulk', `{"messages":[{"contact_id":"${contactId}","type":"template","template":${template}}]}`],
    ];
    for (const [method, url, payload] of bodies) {
      const response = await t.app.inject({ method: method as 'POST' | 'PATCH', url, headers, payload });
      assert.equal(response.statusCode, 400, `${method} ${url}: ${response.body.slice(0, 200)}`);
      assert.equal(response.json().error.code, 'validation_failed');
    }
    assert.deepEqual([await count('contacts'), await count('messages'), await count('campaigns')], before);
  });

  it('still takes metadata nested a realistic number of levels', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const metadata = JSON.parse(`{"k":${nested(20)}}`) as Record<string, unknown>;
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { phone: uniquePhone(), metadata } });
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(response.json().metadata, metadata);
  });
});
