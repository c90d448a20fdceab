import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteAppWithCloudApi } from '../support/suite-app.js';
import { createContact, eventually, queueMessages } from '../support/whatsapp.js';

forEachEngine('messages API', (suite) => {
  const t = suiteAppWithCloudApi(suite);
  let token: string;

  before(async () => {
    ({ token } = await signedInUser(t.ctx, 'agent'));
  });

  const send = (contactId: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: { ...bearer(token), ...headers }, payload: payload as object });
  const bulk = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/messages/bulk', headers: { ...bearer(token), ...headers }, payload: payload as object });
  const countFor = async (contactId: string): Promise<number> =>
    Number((await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', '=', contactId).executeTakeFirstOrThrow()).n);
  const text = { type: 'text', content: 'Hello!' };
  const template = { type: 'template', template: { name: 'order_shipped', language: 'en_US' } };

  it('answers 202 with the pending message, text inside the window and templates at any time', async () => {
    const open = await createContact(t.ctx.db, { inboundHoursAgo: 23 });
    const closed = await createContact(t.ctx.db, { inboundHoursAgo: 25 });
    const sent = await send(open.id, text);
    assert.equal(sent.statusCode, 202);
    const message = sent.json();
    assert.equal(message.contact_id, open.id);
    assert.equal(message.direction, 'outbound');
    assert.equal(message.type, 'text');
    assert.equal(message.content, 'Hello!');
    assert.equal(message.status, 'pending');
    assert.equal(message.external_id, null);
    const templated = await send(closed.id, { type: 'template', template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Dana' }] }] } });
    assert.equal(templated.statusCode, 202);
    assert.deepEqual(templated.json().template, { name: 'order_shipped', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Dana' }] }] });
  });

  it('applies the rules in order: unknown contact 404, opted out 409, text outside the window 422, storing nothing', async () => {
    const unknown = await send('4a3c2e1f-0000-4000-8000-000000000000', text);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'contact_not_found');
    assert.equal((await send('not-a-uuid', text)).statusCode, 404);
    const optedOutAndClosed = await createContact(t.ctx.db, { optedOut: true });
    const optedOut = await send(optedOutAndClosed.id, text);
    assert.equal(optedOut.statusCode, 409);
    assert.equal(optedOut.json().error.code, 'opted_out');
    assert.equal((await send(optedOutAndClosed.id, template)).statusCode, 409, 'templates too');
    for (const contact of [await createContact(t.ctx.db), await createContact(t.ctx.db, { inboundHoursAgo: 24.01 })]) {
      const closed = await send(contact.id, text);
      assert.equal(closed.statusCode, 422);
      assert.equal(closed.json().error.code, 'window_closed');
      assert.equal(await countFor(contact.id), 0);
    }
    assert.equal(await countFor(optedOutAndClosed.id), 0);
    const noPhone = await createContact(t.ctx.db, { phone: null, inboundHoursAgo: 1 });
    const unreachable = await send(noPhone.id, text);
    assert.equal(unreachable.statusCode, 422);
    assert.equal(unreachable.json().error.code, 'contact_unreachable');
  });

  it('refuses malformed bodies with 400 and anonymous callers with 401', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    for (const payload of [
      { type: 'text' },
      { type: 'text', content: '   ' },
      { type: 'text', content: 'x'.repeat(4097) },
      { type: 'image', content: 'x' },
      { type: 'template', template: { name: 'Order Shipped', language: 'en_US' } },
      { type: 'template', template: { name: 'ok', language: 'english' } },
      { type: 'template', template: { name: 'ok', language: { code: 'en_US' } } },
      { type: 'text', content: 'hi', extra: true },
    ]) {
      const response = await send(contact.id, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().error.code, 'validation_failed');
    }
    assert.equal((await send(contact.id, text, { 'idempotency-key': 'has space' })).statusCode, 400);
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, payload: text });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(await countFor(contact.id), 0);
  });

  it('sends in bulk all or nothing: one unknown, opted-out or closed contact and none is stored', async () => {
    const a = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const b = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const optedOut = await createContact(t.ctx.db, { inboundHoursAgo: 1, optedOut: true });
    const closed = await createContact(t.ctx.db);
    const missing = '4a3c2e1f-0000-4000-8000-000000000001';
    const cases: Array<[unknown[], number, string]> = [
      [[{ contact_id: a.id, ...text }, { contact_id: missing, ...text }, { contact_id: optedOut.id, ...text }], 404, 'contact_not_found'],
      [[{ contact_id: a.id, ...text }, { contact_id: optedOut.id, ...template }, { contact_id: closed.id, ...text }], 409, 'opted_out'],
      [[{ contact_id: a.id, ...text }, { contact_id: closed.id, ...text }], 422, 'window_closed'],
    ];
    for (const [messages, status, code] of cases) {
      const response = await bulk({ messages });
      assert.equal(response.statusCode, status);
      assert.equal(response.json().error.code, code);
    }
    assert.equal((await bulk({ messages: [] })).statusCode, 400);
    for (const contact of [a, b, optedOut, closed]) assert.equal(await countFor(contact.id), 0);
    const accepted = await bulk({ messages: [{ contact_id: a.id, ...text }, { contact_id: b.id, ...template }, { contact_id: closed.id, ...template }, { contact_id: a.id, type: 'text', content: 'Second' }] });
    assert.equal(accepted.statusCode, 202);
    const answered = accepted.json().messages as Array<{ contact_id: string; type: string; status: string; content: string | null }>;
    assert.deepEqual(answered.map((message) => [message.contact_id, message.type, message.status]), [[a.id, 'text', 'pending'], [b.id, 'template', 'pending'], [closed.id, 'template', 'pending'], [a.id, 'text', 'pending']]);
    assert.equal(answered[3]?.content, 'Second');
    assert.equal(await countFor(a.id), 2);
  });

  it('answers a repeated Idempotency-Key with the first message, per principal, and 422 for another body', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const key = { 'idempotency-key': `send-${Date.now()}` };
    const first = await send(contact.id, text, key);
    const again = await send(contact.id, text, key);
    assert.equal(first.statusCode, 202);
    assert.equal(again.statusCode, 202);
    assert.equal(again.json().id, first.json().id);
    assert.equal(await countFor(contact.id), 1);
    const reused = await send(contact.id, { type: 'text', content: 'Something else' }, key);
    assert.equal(reused.statusCode, 422);
    assert.equal(reused.json().error.code, 'idempotency_key_reused');
    const elsewhere = await send((await createContact(t.ctx.db, { inboundHoursAgo: 1 })).id, text, key);
    assert.equal(elsewhere.statusCode, 422, 'the same body to another contact is another request');
    const other = await signedInUser(t.ctx, 'agent');
    const otherUsers = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: { ...bearer(other.token), ...key }, payload: text });
    assert.equal(otherUsers.statusCode, 202);
    assert.notEqual(otherUsers.json().id, first.json().id, 'keys are scoped to the principal');
    assert.equal(await countFor(contact.id), 2);
  });

  it('creates one message for concurrent repeats of a key, and a refused request does not use the key up', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const key = { 'idempotency-key': `concurrent-${Date.now()}` };
    const answers = await Promise.all(Array.from({ length: 12 }, () => send(contact.id, text, key)));
    assert.ok(answers.every((answer) => answer.statusCode === 202));
    assert.equal(new Set(answers.map((answer) => answer.json().id)).size, 1);
    assert.equal(await countFor(contact.id), 1);

    const closed = await createContact(t.ctx.db);
    const refusedKey = { 'idempotency-key': `refused-${Date.now()}` };
    assert.equal((await send(closed.id, text, refusedKey)).statusCode, 422);
    assert.equal((await send(closed.id, text, refusedKey)).statusCode, 422, 'a repeat of a refused request is refused again');
    await t.ctx.db.updateTable('contacts').set({ last_inbound_at: new Date() }).where('id', '=', closed.id).execute();
    assert.equal((await send(closed.id, text, refusedKey)).statusCode, 202);

    const bulkKey = { 'idempotency-key': `bulk-${Date.now()}` };
    const body = { messages: [{ contact_id: contact.id, ...text }, { contact_id: closed.id, ...template }] };
    const [one, two] = await Promise.all([bulk(body, bulkKey), bulk(body, bulkKey)]);
    assert.equal(one?.statusCode, 202);
    assert.deepEqual(two?.json(), one?.json());
  });

  it('pages the thread newest first with signed cursors', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const other = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const at = Date.now() - 60_000;
    await queueMessages(t.ctx.db, Array.from({ length: 7 }, (_, index) => ({ contact_id: contact.id, status: 'sent' as const, content: `m${index}`, created_at: new Date(at + Math.floor(index / 2) * 1000) })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=3${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
      const page = await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/messages?${query}`, headers: bearer(token) });
      assert.equal(page.statusCode, 200);
      const body = page.json() as { items: Array<{ content: string; created_at: string }>; next_cursor: string | null };
      assert.ok(body.items.length <= 3);
      seen.push(...body.items.map((item) => item.content));
      cursor = body.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7, 'no message twice');
    assert.deepEqual(seen.slice(0, 1), ['m6']);
    const first = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/messages?limit=2`, headers: bearer(token) })).json();
    const forged = await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/messages?before=${first.next_cursor}x`, headers: bearer(token) });
    assert.equal(forged.statusCode, 400);
    assert.equal(forged.json().error.code, 'invalid_cursor');
    const foreign = await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${other.id}/messages?before=${first.next_cursor}`, headers: bearer(token) });
    assert.equal(foreign.statusCode, 400, 'a cursor of another thread');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/messages?limit=201`, headers: bearer(token) })).statusCode, 400);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/contacts/4a3c2e1f-0000-4000-8000-000000000002/messages', headers: bearer(token) })).statusCode, 404);
  });

  it('marks inbound messages read and sends WhatsApp a read receipt for the newest', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const at = Date.now() - 30_000;
    await t.ctx.db
      .insertInto('messages')
      .values([0, 1].map((index) => ({ contact_id: contact.id, direction: 'inbound' as const, status: 'received' as const, type: 'text', content: `in ${index}`, external_id: `wamid.READ${index}${at}`, created_at: new Date(at + index * 1000) })))
      .execute();
    const before = await t.ctx.db.selectFrom('contacts').select('unread_count').where('id', '=', contact.id).executeTakeFirstOrThrow();
    assert.equal(before.unread_count, 2);
    const read = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/read`, headers: bearer(token) });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), { read: 2 });
    const rows = await t.ctx.db.selectFrom('messages').select(['status', 'read_at']).where('contact_id', '=', contact.id).execute();
    assert.ok(rows.every((row) => row.status === 'read' && row.read_at));
    assert.equal((await t.ctx.db.selectFrom('contacts').select('unread_count').where('id', '=', contact.id).executeTakeFirstOrThrow()).unread_count, 0);
    const receipt = await eventually(async () => t.cloud.readReceipts().find((request) => request.body?.['message_id'] === `wamid.READ1${at}`));
    assert.deepEqual(receipt.body, { messaging_product: 'whatsapp', status: 'read', message_id: `wamid.READ1${at}` });
    assert.deepEqual((await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/read`, headers: bearer(token) })).json(), { read: 0 });
    assert.equal(t.cloud.readReceipts().filter((request) => String(request.body?.['message_id']).endsWith(String(at))).length, 1);
  });
});
