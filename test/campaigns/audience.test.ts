import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';
import { createContacts, uniqueTag } from './fixtures.js';

interface Preview {
  count: number;
  items: { id: string; name: string | null }[];
}

forEachEngine('campaign audiences', (suite) => {
  const test = suiteApp(suite);
  let headers: { authorization: string };

  before(async () => {
    headers = bearer((await signedInUser(test.ctx, 'agent')).token);
  });

  async function preview(audience: object): Promise<Preview> {
    const response = await test.app.inject({ method: 'POST', url: '/api/v1/segments/preview', headers, payload: { audience, limit: 50 } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<Preview>();
  }

  const names = (result: Preview) => result.items.map((item) => item.name).sort();

  it('selects by tags, all or any, always leaving out opted-out and phone-less contacts', async () => {
    const [a, b] = [uniqueTag('a'), uniqueTag('b')];
    await createContacts(suite.database, [
      { name: 'both', tags: [a, b] },
      { name: 'only-a', tags: [a] },
      { name: 'only-b', tags: [b] },
      { name: 'opted-out', tags: [a, b], optedOut: true },
      { name: 'no-phone', tags: [a, b], phone: null },
    ]);
    assert.deepEqual(names(await preview({ tags: [a, b] })), ['both']);
    assert.deepEqual(names(await preview({ tags: [a, b], match: 'all' })), ['both']);
    assert.deepEqual(names(await preview({ tags: [a, b], match: 'any' })), ['both', 'only-a', 'only-b']);
    assert.deepEqual(names(await preview({ tags: [` ${a.toUpperCase()} `] })), ['both', 'only-a'], 'tags are matched as contacts store them');
    assert.equal((await preview({ tags: [a, b], match: 'any' })).count, 3);
  });

  it('filters metadata by value, by one of several values, and by presence', async () => {
    const tag = uniqueTag('m');
    await createContacts(suite.database, [
      { name: 'recife-gold', tags: [tag], metadata: { city: 'Recife', plan: 'gold', vip: true } },
      { name: 'recife-free', tags: [tag], metadata: { city: 'Recife', plan: 'free', age: 30 } },
      { name: 'lisbon-platinum', tags: [tag], metadata: { city: 'Lisbon', plan: 'platinum', vip: null } },
      { name: 'nothing', tags: [tag] },
    ]);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { city: 'Recife' } })), ['recife-free', 'recife-gold']);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { plan: ['gold', 'platinum'] } })), ['lisbon-platinum', 'recife-gold']);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { city: 'Recife', plan: ['gold', 'platinum'] } })), ['recife-gold']);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { vip: { exists: true } } })), ['recife-gold'], 'a null value is absent');
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { vip: { exists: false } } })), ['lisbon-platinum', 'nothing', 'recife-free']);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { age: 30 } })), ['recife-free'], 'numbers compare as text');
  });

  it('binds metadata keys as values: a key that looks like SQL is just a key', async () => {
    const tag = uniqueTag('i');
    await createContacts(suite.database, [{ name: 'odd-key', tags: [tag], metadata: { "x') OR true --": 'y' } }, { name: 'plain', tags: [tag] }]);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { "city') OR true --": 'Recife' } })), []);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { "x') OR true --": 'y' } })), ['odd-key']);
    assert.deepEqual(names(await preview({ tags: [tag], metadata: { "'; DROP TABLE contacts; --": { exists: false } } })), ['odd-key', 'plain']);
  });

  it('keeps contacts who wrote in within the last N days', async () => {
    const tag = uniqueTag('w');
    await createContacts(suite.database, [
      { name: 'today', tags: [tag], inboundHoursAgo: 2 },
      { name: 'last-week', tags: [tag], inboundHoursAgo: 24 * 6 },
      { name: 'long-ago', tags: [tag], inboundHoursAgo: 24 * 40 },
      { name: 'never', tags: [tag] },
    ]);
    assert.deepEqual(names(await preview({ tags: [tag], last_inbound_within_days: 1 })), ['today']);
    assert.deepEqual(names(await preview({ tags: [tag], last_inbound_within_days: 7 })), ['last-week', 'today']);
  });

  it('saves segments, previews them by id, and creates nothing while previewing', async () => {
    const tag = uniqueTag('s');
    await createContacts(suite.database, [{ name: 'x', tags: [tag], metadata: { city: 'Recife' } }]);
    const before = await test.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    const created = await test.app.inject({
      method: 'POST', url: '/api/v1/segments', headers, payload: { name: `Recife ${tag}`, filter: { tags: [tag], metadata: { city: 'Recife' } } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const segment = created.json<{ id: string; name: string; filter: { tags: string[]; match: string; metadata: object } }>();
    assert.deepEqual(segment.filter, { tags: [tag], match: 'all', metadata: { city: 'Recife' } });

    const duplicate = await test.app.inject({ method: 'POST', url: '/api/v1/segments', headers, payload: { name: `RECIFE ${tag}`, filter: {} } });
    assert.equal(duplicate.statusCode, 409);

    const byId = await test.app.inject({ method: 'POST', url: '/api/v1/segments/preview', headers, payload: { segment_id: segment.id } });
    assert.equal(byId.json<Preview>().count, 1);

    const list = await test.app.inject({ method: 'GET', url: '/api/v1/segments', headers });
    assert.ok(list.json<{ items: { id: string }[] }>().items.some((item) => item.id === segment.id));

    const renamed = await test.app.inject({ method: 'PATCH', url: `/api/v1/segments/${segment.id}`, headers, payload: { name: `Renamed ${tag}` } });
    assert.equal(renamed.json<{ name: string }>().name, `Renamed ${tag}`);
    assert.equal((await test.app.inject({ method: 'GET', url: `/api/v1/segments/${segment.id}`, headers })).json<{ name: string }>().name, `Renamed ${tag}`);

    assert.equal((await test.app.inject({ method: 'DELETE', url: `/api/v1/segments/${segment.id}`, headers })).statusCode, 204);
    assert.equal((await test.app.inject({ method: 'GET', url: `/api/v1/segments/${segment.id}`, headers })).statusCode, 404);
    assert.equal((await test.app.inject({ method: 'GET', url: '/api/v1/segments/not-a-uuid', headers })).statusCode, 404);

    const afterCount = await test.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it('refuses malformed audiences with a 400 and signed-out callers with a 401', async () => {
    for (const audience of [
      { tags: [{ name: 'vip' }] },
      { match: 'some' },
      { metadata: { city: { equals: 'Recife' } } },
      { metadata: { plan: [] } },
      { metadata: { '': 'x' } },
      { last_inbound_within_days: 0 },
      { unknown: true },
    ]) {
      const response = await test.app.inject({ method: 'POST', url: '/api/v1/segments/preview', headers, payload: { audience } });
      assert.equal(response.statusCode, 400, `${JSON.stringify(audience)}: ${response.body}`);
      assert.equal(response.json<{ error: { code: string } }>().error.code, 'validation_failed');
    }
    const anonymous = await test.app.inject({ method: 'POST', url: '/api/v1/segments/preview', payload: { audience: {} } });
    assert.equal(anonymous.statusCode, 401);
  });
});
