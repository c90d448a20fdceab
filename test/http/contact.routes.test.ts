import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { bearer, signedInUser } from '../support/app.js';
import { postContact, type ContactBody } from '../support/contacts-api.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteApp } from '../support/suite-app.js';

let tagCounter = 0;
const uniqueTag = () => `t${++tagCounter}x${Date.now() % 100_000}`;

forEachEngine('contact routes', (suite) => {
  const t = suiteApp(suite);

  it('needs a session or key on every route (anonymous 401); agents may use them all', async () => {
    const { token: agent } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, agent, { phone: uniquePhone() });
    const routes = [
      { method: 'GET' as const, url: '/api/v1/contacts' },
      { method: 'POST' as const, url: '/api/v1/contacts', payload: { phone: uniquePhone() } },
      { method: 'GET' as const, url: `/api/v1/contacts/${contact.id}` },
      { method: 'PATCH' as const, url: `/api/v1/contacts/${contact.id}`, payload: { name: 'Agent edit' } },
      { method: 'DELETE' as const, url: `/api/v1/contacts/${contact.id}` },
    ];
    for (const route of routes) {
      const anonymous = await t.app.inject(route);
      assert.equal(anonymous.statusCode, 401, `${route.method} ${route.url}`);
      assert.equal(anonymous.json().error.code, 'unauthorized');
    }
    for (const route of routes) {
      const response = await t.app.inject({ ...route, headers: bearer(agent) });
      assert.ok(response.statusCode < 300, `${route.method} ${route.url} as agent: ${response.statusCode}`);
    }
  });

  it('creates a contact: E.164 phone, normalised tags, the contract’s fields, an event', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, token, { phone: '+1 (415) 555-0123', name: ' Ana ', email: 'ana@example.com', tags: [' VIP ', 'vip', 'Lead', ''], metadata: { city: 'Recife', n: 2 } });
    for (const field of ['id', 'phone', 'name', 'email', 'tags', 'metadata', 'opted_out', 'last_inbound_at', 'created_at', 'updated_at', 'message_count']) {
      assert.ok(field in contact, field);
    }
    assert.equal(contact.phone, '+14155550123');
    assert.equal(contact.name, 'Ana');
    assert.deepEqual(contact.tags, ['vip', 'lead']);
    assert.deepEqual(contact.metadata, { city: 'Recife', n: 2 });
    assert.equal(contact.opted_out, false);
    assert.equal(contact.message_count, 0);
    const fetched = await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token) });
    assert.deepEqual(fetched.json(), contact);
    const events = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'contact.updated').execute();
    assert.ok(events.some((event) => (event.data as { id?: string }).id === contact.id));
  });

  it('refuses a duplicate phone with 409, however it is written', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const phone = uniquePhone();
    await postContact(t, token, { phone });
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5)}`;
    const duplicate = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload: { phone: spaced } });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().error.code, 'duplicate_phone');
    const other = await postContact(t, token, { phone: uniquePhone() });
    const clash = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${other.id}`, headers: bearer(token), payload: { phone } });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, 'duplicate_phone');
  });

  it('refuses every invalid value with a 400 naming the field, and writes nothing', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const phone = uniquePhone();
    const bigMetadata = { blob: 'x'.repeat(16 * 1024) };
    const cases: Array<[object, string, string]> = [
      [{ phone: 'not a phone' }, 'invalid_phone', 'phone'],
      [{ phone: '4155550123' }, 'invalid_phone', 'phone'],
      [{ phone: '+1415' }, 'invalid_phone', 'phone'],
      [{}, 'validation_failed', 'phone'],
      [{ phone, name: '   ' }, 'validation_failed', 'name'],
      [{ phone, name: '' }, 'validation_failed', 'name'],
      [{ phone, email: 'nope' }, 'validation_failed', 'email'],
      [{ phone, tags: { vip: true } }, 'validation_failed', 'tags'],
      [{ phone, tags: ['x'.repeat(65)] }, 'validation_failed', 'tags'],
      [{ phone, tags: ['a,b'] }, 'validation_failed', 'tags'],
      [{ phone, tags: Array.from({ length: 51 }, (_, index) => `tag${index}`) }, 'validation_failed', 'tags'],
      [{ phone, metadata: ['not', 'an', 'object'] }, 'validation_failed', 'metadata'],
      [{ phone, metadata: bigMetadata }, 'validation_failed', 'metadata'],
      [{ phone, opted_out: 'yes' }, 'validation_failed', 'opted_out'],
      [{ phone, colour: 'blue' }, 'validation_failed', 'colour'],
    ];
    for (const [payload, code, field] of cases) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload).slice(0, 80));
      assert.equal(response.json().error.code, code, JSON.stringify(payload).slice(0, 80));
      assert.equal(response.json().error.details[0].field, field, JSON.stringify(payload).slice(0, 80));
    }
    assert.equal(await t.ctx.db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirst(), undefined);
  });

  it('changes each named field, merges metadata (null removes a key), and refuses merges past 16 KB as a whole', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, token, { phone: uniquePhone(), name: 'Old', email: 'old@example.com', tags: ['a'], metadata: { keep: 1, drop: 2, change: 'x' } });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${contact.id}`,
      headers: bearer(token),
      payload: { name: 'New', email: null, tags: ['B', 'c'], metadata: { drop: null, change: 'y', added: { nested: true } } },
    });
    assert.equal(patched.statusCode, 200);
    const body = patched.json();
    assert.equal(body.name, 'New');
    assert.equal(body.email, null);
    assert.deepEqual(body.tags, ['b', 'c']);
    assert.deepEqual(body.metadata, { keep: 1, change: 'y', added: { nested: true } });
    assert.equal(body.phone, contact.phone, 'unnamed fields stay');

    const tooBig = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/contacts/${contact.id}`,
      headers: bearer(token),
      payload: { name: 'Should not stick', metadata: { a: 'x'.repeat(9000), b: 'y'.repeat(9000) } },
    });
    assert.equal(tooBig.statusCode, 400);
    assert.equal(tooBig.json().error.details[0].field, 'metadata');
    const unchanged = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token) })).json();
    assert.deepEqual(unchanged, body, 'nothing of the refused change was written');

    for (const payload of [{ name: '  ' }, { phone: 'x' }, { tags: ['y'.repeat(65)] }, { unknown: 1 }]) {
      const response = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token), payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const missing = await t.app.inject({ method: 'PATCH', url: '/api/v1/contacts/00000000-0000-4000-8000-000000000000', headers: bearer(token), payload: { name: 'x' } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'contact_not_found');
  });

  it('opts a contact out and back in (source agent), auditing and announcing each change', async () => {
    const { token, user } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, token, { phone: uniquePhone() });
    const out = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token), payload: { opted_out: true } });
    assert.equal(out.json().opted_out, true);
    assert.equal(out.json().opted_out_source, 'agent');
    const again = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token), payload: { opted_out: true } });
    assert.equal(again.json().opted_out_at, out.json().opted_out_at, 'opting out twice keeps the first time');
    const back = await t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token), payload: { opted_out: false } });
    assert.equal(back.json().opted_out, false);
    assert.equal(back.json().opted_out_source, null);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('target_id', '=', contact.id).orderBy('id').execute();
    assert.deepEqual(audit, [{ action: 'contact.opted_out', actor_id: user.id }, { action: 'contact.opted_in', actor_id: user.id }]);
    const events = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'contact.updated').execute();
    const optOuts = events.map((event) => event.data as { id?: string; opted_out?: boolean }).filter((data) => data.id === contact.id).map((data) => data.opted_out);
    assert.deepEqual(optOuts, [false, true, true, false]);
  });

  it('deletes a contact with its thread, auditing and announcing it', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, token, { phone: uniquePhone() });
    await t.ctx.db.insertInto('messages').values({ contact_id: contact.id, type: 'text', content: 'hi', direction: 'inbound', status: 'received' }).execute();
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token) })).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token) })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: bearer(token) })).statusCode, 404);
    assert.equal((await t.ctx.db.selectFrom('messages').select('id').where('contact_id', '=', contact.id).execute()).length, 0);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', contact.id).execute();
    assert.deepEqual(audit, [{ action: 'contact.deleted' }]);
    const events = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'contact.updated').execute();
    assert.ok(events.some((event) => (event.data as { id?: string; deleted?: boolean }).id === contact.id && (event.data as { deleted?: boolean }).deleted === true));
  });

  it('filters by all or any of the tags and by q over name, email and phone, case-insensitively, with message_count', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const [a, b] = [uniqueTag(), uniqueTag()];
    const both = await postContact(t, token, { phone: uniquePhone(), name: 'Zélia Both', tags: [a, b] });
    const onlyA = await postContact(t, token, { phone: uniquePhone(), email: 'ONLY-A@Example.com', tags: [a] });
    const onlyB = await postContact(t, token, { phone: '+5521987654321', tags: [b] });
    await t.ctx.db.insertInto('messages').values([1, 2, 3].map((n) => ({ contact_id: both.id, type: 'text', content: `m${n}`, direction: 'outbound' as const, status: 'sent' as const }))).execute();
    const ids = async (query: string) => {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?${query}`, headers: bearer(token) });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as ContactBody[]).map((item) => item.id).sort();
    };
    assert.deepEqual(await ids(`tags=${a},${b}`), [both.id]);
    assert.deepEqual(await ids(`tags=${a.toUpperCase()},${b}&match=all`), [both.id]);
    assert.deepEqual(await ids(`tags=${a},${b}&match=any`), [both.id, onlyA.id, onlyB.id].sort());
    assert.deepEqual(await ids(`tags=${a}&tags=${b}&match=any`), [both.id, onlyA.id, onlyB.id].sort());
    assert.deepEqual(await ids(`tags=${a},${b}&match=any&q=zÉLIA`), [both.id]);
    assert.deepEqual(await ids(`tags=${a},${b}&match=any&q=only-a@example`), [onlyA.id]);
    assert.deepEqual(await ids(`tags=${a},${b}&match=any&q=${encodeURIComponent('(21) 98765')}`), [onlyB.id]);
    assert.deepEqual(await ids(`tags=${a},${b}&match=any&q=%25`), [], 'wildcards are literal');
    const listed = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts?tags=${a},${b}`, headers: bearer(token) })).json();
    assert.equal(listed.items[0].message_count, 3);
    assert.equal(listed.next_cursor, null);
  });

  it('refuses any bad list parameter with 400', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const queries = ['sort=phone', 'sort=created_at;drop', 'order=up', 'limit=0', 'limit=201', 'limit=abc', 'match=some', 'cursor=abc', `tags=${'x'.repeat(65)}`];
    for (const query of queries) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?${query}`, headers: bearer(token) });
      assert.equal(response.statusCode, 400, query);
      assert.ok(['validation_failed', 'invalid_cursor'].includes(response.json().error.code), query);
    }
    const first = (await t.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=1', headers: bearer(token) })).json();
    assert.ok(first.next_cursor, 'there is a second page');
    const [body, signature] = String(first.next_cursor).split('.');
    const edited = Buffer.from(JSON.stringify(['s', 'zzz', '00000000-0000-4000-8000-000000000000', 'contacts:created_at:desc'])).toString('base64url');
    for (const cursor of [`${edited}.${signature}`, `${body}.${'0'.repeat(32)}`, `${body}x.${signature}`]) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?limit=1&cursor=${encodeURIComponent(cursor)}`, headers: bearer(token) });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'invalid_cursor');
    }
    const otherSort = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?sort=name&cursor=${encodeURIComponent(first.next_cursor)}`, headers: bearer(token) });
    assert.equal(otherSort.statusCode, 400, 'a cursor only works for the sort it came from');
  });

  it('walks every sort and order in pages, ties on the sort key included, without skipping or repeating', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const tag = uniqueTag();
    for (let index = 0; index < 11; index++) {
      await postContact(t, token, { phone: uniquePhone(), name: index % 3 === 0 ? 'Same Name' : `Name ${index % 2}`, tags: [tag] });
    }
    // Ties everywhere: one created_at for all, message counts of 0 or 5, last_message_at null or one instant.
    await t.ctx.db
      .updateTable('contacts')
      .set({
        created_at: new Date('2024-03-01T12:00:00.123Z'),
        message_count: sql`CASE WHEN right(phone, 1)::int % 2 = 0 THEN 5 ELSE 0 END`,
        last_message_at: sql`CASE WHEN right(phone, 1)::int % 3 = 0 THEN NULL ELSE '2024-03-02T08:00:00.456Z'::timestamptz END`,
      })
      .where(sql<boolean>`tags @> ${[tag]}::text[]`)
      .execute();
    const all = await t.ctx.db.selectFrom('contacts').select('id').where(sql<boolean>`tags @> ${[tag]}::text[]`).execute();
    for (const sort of ['created_at', 'name', 'last_message_at', 'message_count']) {
      for (const order of ['asc', 'desc']) {
        const seen: ContactBody[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
          const response = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?tags=${tag}&sort=${sort}&order=${order}&limit=3${after}`, headers: bearer(token) });
          assert.equal(response.statusCode, 200, response.body);
          seen.push(...response.json().items);
          cursor = response.json().next_cursor;
          pages += 1;
        } while (cursor !== null && pages < 20);
        assert.equal(pages, 4, `${sort} ${order}: 11 rows in pages of 3`);
        assert.deepEqual(seen.map((item) => item.id).sort(), all.map((row) => row.id).sort(), `${sort} ${order}: each row exactly once`);
        if (sort === 'message_count') {
          const counts = seen.map((item) => item.message_count);
          assert.deepEqual(counts, [...counts].sort((x, y) => (order === 'asc' ? x - y : y - x)));
        }
      }
    }
  });
});

forEachEngine('contact routes with FLOWCHAT_DEFAULT_COUNTRY', (suite) => {
  const t = suiteApp(suite, { FLOWCHAT_DEFAULT_COUNTRY: 'BR' });

  it('reads numbers without + as national numbers of that country', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const contact = await postContact(t, token, { phone: '(21) 98765-4321' });
    assert.equal(contact.phone, '+5521987654321');
    const international = await postContact(t, token, { phone: '+1 415 555 0100' });
    assert.equal(international.phone, '+14155550100');
  });
});
