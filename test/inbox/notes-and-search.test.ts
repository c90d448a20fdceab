import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteAppWithCloudApi } from '../support/suite-app.js';
import { createContact, queueMessages } from '../support/whatsapp.js';

forEachEngine('Private notes and message search', (suite) => {
  const t = suiteAppWithCloudApi(suite);
  let agent: { user: { id: string }; token: string };

  before(async () => {
    agent = await signedInUser(t.ctx, 'agent');
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: bearer(agent.token), ...(payload ? { payload } : {}) });

  it('stores a note as an internal message in the thread, announces it, and never sends it', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1, name: 'Noted' });
    const created = await call('POST', `/api/v1/contacts/${contact.id}/notes`, { content: 'Asked for a refund; check order 1182' });
    assert.equal(created.statusCode, 201, created.payload);
    const note = created.json();
    assert.equal(note.direction, 'internal');
    assert.equal(note.type, 'note');
    assert.equal(note.from_user_id, agent.user.id);
    const thread = (await call('GET', `/api/v1/contacts/${contact.id}/messages`)).json();
    assert.equal(thread.items[0].id, note.id);
    const event = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'message.created').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal((event.data as { id: string }).id, note.id);
    // A real message queued after it goes out; the note never does.
    await call('POST', `/api/v1/contacts/${contact.id}/messages`, { type: 'text', content: 'On it' });
    await t.cloud.waitForSends(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(t.cloud.sends().filter((send) => JSON.stringify(send.body).includes('refund')).length, 0);
    const stored = await t.ctx.db.selectFrom('messages').select(['status', 'external_id']).where('id', '=', note.id).executeTakeFirstOrThrow();
    assert.equal(stored.external_id, null);
  });

  it('refuses an empty note and an unknown contact', async () => {
    const contact = await createContact(t.ctx.db);
    assert.equal((await call('POST', `/api/v1/contacts/${contact.id}/notes`, { content: '  ' })).statusCode, 400);
    assert.equal((await call('POST', '/api/v1/contacts/0b7a2c4e-3f1d-4c8e-9a6b-5d2e1f0a9c8b/notes', { content: 'x' })).statusCode, 404);
  });

  it('finds messages holding every word, case and accents ignored, newest first, each with its contact', async () => {
    const ana = await createContact(t.ctx.db, { name: 'Ana' });
    const bo = await createContact(t.ctx.db, { name: 'Bo' });
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await queueMessages(t.ctx.db, [
      { contact_id: ana.id, status: 'sent', content: 'A sua encomenda está a caminho', created_at: at(30) },
      { contact_id: bo.id, status: 'sent', content: 'ENCOMENDA atrasada? Pedimos desculpa', created_at: at(20) },
      { contact_id: ana.id, status: 'sent', content: 'Encomendas novas chegam amanhã', created_at: at(10) },
      { contact_id: bo.id, status: 'sent', content: 'Nada a ver', created_at: at(5) },
    ]);
    const hits = (await call('GET', `/api/v1/messages/search?q=${encodeURIComponent('encomendá')}`)).json();
    assert.deepEqual(hits.items.map((hit: { content: string }) => hit.content), ['ENCOMENDA atrasada? Pedimos desculpa', 'A sua encomenda está a caminho']);
    assert.deepEqual(hits.items[0].contact, { id: bo.id, name: 'Bo', phone: bo.phone });
    const both = (await call('GET', `/api/v1/messages/search?q=${encodeURIComponent('esta caminho')}`)).json();
    assert.deepEqual(both.items.map((hit: { content: string }) => hit.content), ['A sua encomenda está a caminho']);
    const onlyAna = (await call('GET', `/api/v1/messages/search?q=encomenda&contact_id=${ana.id}`)).json();
    assert.equal(onlyAna.items.length, 1);
    assert.equal(onlyAna.items[0].contact.id, ana.id);
  });

  it('pages hits by keyset, notes included, without repeating or skipping one', async () => {
    const contact = await createContact(t.ctx.db);
    const sameTime = new Date();
    await queueMessages(t.ctx.db, Array.from({ length: 7 }, (_, index) => ({ contact_id: contact.id, status: 'sent' as const, content: `parcel number ${index}`, created_at: sameTime })));
    await call('POST', `/api/v1/contacts/${contact.id}/notes`, { content: 'The parcel was lost by the courier' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await call('GET', `/api/v1/messages/search?q=parcel&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json() as { items: Array<{ id: string }>; next_cursor: string | null };
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 8);
    assert.equal(new Set(seen).size, 8);
    assert.equal((await call('GET', '/api/v1/messages/search?q=parcel&cursor=forged')).statusCode, 400);
    assert.equal((await call('GET', '/api/v1/messages/search?q=')).statusCode, 400);
    assert.equal((await call('GET', '/api/v1/messages/search?q=%21%21')).json().items.length, 0);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/messages/search?q=parcel' })).statusCode, 401);
  });
});
