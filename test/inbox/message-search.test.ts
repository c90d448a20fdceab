/**
 * Message search over the stored documents (migration 20240405): an agent finds only hits from
 * the numbers they work, page after page without repeats or gaps, and search follows messages
 * whose text changes and messages that are deleted, and hits beyond the newest documents are found
 * through the index.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { ChannelResource } from '../../src/channels/channel.schema.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { createContact, queueMessages } from '../support/whatsapp.js';
import { addChannel, secondNumber } from '../channels/support.js';

interface SearchPage {
  items: Array<{ id: string; content: string; channel_id: string; contact: { id: string } }>;
  next_cursor: string | null;
}

forEachEngine('Message search documents', (suite) => {
  let cloud: CloudApiStandIn;
  let t: TestApp;
  let admin: string;
  const support = secondNumber();

  before(async () => {
    cloud = await startCloudApiStandIn({ otherNumbers: [support] });
    t = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: '1000', FLOWCHAT_SECRET_KEY: 'b'.repeat(64) }, true);
    ({ token: admin } = await signedInUser(t.ctx, 'admin'));
  });
  after(async () => {
    await t.close();
    await cloud.close();
  });

  /** Every hit for `q` as `token` sees them, `limit` a page, following the cursors. */
  async function allPages(token: string, q: string, limit: number): Promise<SearchPage['items']> {
    const seen: SearchPage['items'] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/messages/search?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
      assert.equal(response.statusCode, 200, response.payload);
      const page = response.json<SearchPage>();
      assert.ok(page.items.length <= limit);
      if (page.next_cursor) assert.equal(page.items.length, limit, 'a page before the last is full');
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  }

  it("shows an agent only the hits from their numbers, paged without repeats or gaps", async () => {
    const agent = await signedInUser(t.ctx, 'agent');
    const colleague = await signedInUser(t.ctx, 'agent');
    const channels = (await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(admin) })).json<{ items: ChannelResource[] }>().items;
    const environment = channels.find((channel) => channel.source === 'env');
    assert.ok(environment);
    const second = await addChannel(t.app, admin, support);
    for (const [channel, member] of [[environment.id, colleague.user.id], [second.id, agent.user.id]] as const) {
      const response = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/${channel}/members`, headers: bearer(admin), payload: { user_ids: [member] } });
      assert.equal(response.statusCode, 200, response.payload);
    }
    const contact = await createContact(t.ctx.db, { name: 'Voucher fan' });
    const sameTime = new Date();
    await queueMessages(t.ctx.db, Array.from({ length: 10 }, (_, index) => ({
      contact_id: contact.id,
      status: 'sent' as const,
      channel_id: index % 2 === 0 ? second.id : environment.id,
      content: `Your vóucher code ${index}`,
      created_at: index < 6 ? sameTime : new Date(sameTime.getTime() - index * 1000),
    })));

    const agentHits = await allPages(agent.token, 'VOUCHER code', 2);
    assert.deepEqual(agentHits.map((hit) => hit.channel_id), Array(5).fill(second.id));
    assert.equal(new Set(agentHits.map((hit) => hit.id)).size, 5);
    const colleagueHits = await allPages(colleague.token, 'voucher', 3);
    assert.deepEqual(colleagueHits.map((hit) => hit.channel_id), Array(5).fill(environment.id));
    const adminHits = await allPages(admin, 'voucher', 4);
    assert.equal(new Set(adminHits.map((hit) => hit.id)).size, 10);
    assert.deepEqual(new Set(adminHits.map((hit) => hit.id)), new Set([...agentHits, ...colleagueHits].map((hit) => hit.id)));
  });

  it('finds a message by its new text once it changes, and no longer finds deleted ones', async () => {
    const kept = await createContact(t.ctx.db);
    const removed = await createContact(t.ctx.db);
    const at = (seconds: number) => new Date(Date.now() - seconds * 1000);
    const [edited] = await queueMessages(t.ctx.db, [
      { contact_id: kept.id, status: 'sent', content: 'Preço da mesa', created_at: at(100) },
      ...Array.from({ length: 4 }, (_, index) => ({ contact_id: kept.id, status: 'sent' as const, content: `Lamp ${index}`, created_at: at(50 + index) })),
      ...Array.from({ length: 4 }, (_, index) => ({ contact_id: removed.id, status: 'sent' as const, content: `Lamp gone ${index}`, created_at: at(10 + index) })),
    ]);
    assert.ok(edited);
    assert.equal((await allPages(admin, 'mesa', 10)).length, 1);

    await t.ctx.db.updateTable('messages').set({ content: 'Preço da cadeira' }).where('id', '=', edited.id).execute();
    assert.deepEqual(await allPages(admin, 'mesa', 10), []);
    assert.deepEqual((await allPages(admin, 'cadeira preco', 10)).map((hit) => hit.id), [edited.id]);

    await t.ctx.db.deleteFrom('contacts').where('id', '=', removed.id).execute();
    const lamps = await allPages(admin, 'lamp', 3);
    assert.deepEqual(lamps.map((hit) => hit.content), ['Lamp 0', 'Lamp 1', 'Lamp 2', 'Lamp 3']);
  });

  it('finds hits older than the newest 4 000 messages, from the last week and from before it', async () => {
    const contact = await createContact(t.ctx.db);
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    const day = 86_400;
    await queueMessages(t.ctx.db, [
      ...Array.from({ length: 4_100 }, (_, index) => ({ contact_id: contact.id, status: 'sent' as const, content: `Filler ${index}`, created_at: ago(20 + index) })),
      { contact_id: contact.id, status: 'sent', content: 'Orchid 1', created_at: ago(10) },
      ...[2, 3, 4].map((n) => ({ contact_id: contact.id, status: 'sent' as const, content: `Orchid ${n}`, created_at: ago(n * 3_600) })),
      ...[5, 6].map((n) => ({ contact_id: contact.id, status: 'sent' as const, content: `Orchid ${n} and a Begônia`, created_at: ago(n * 10 * day) })),
    ]);
    const expected = ['Orchid 1', 'Orchid 2', 'Orchid 3', 'Orchid 4', 'Orchid 5 and a Begônia', 'Orchid 6 and a Begônia'];
    for (const limit of [2, 5]) assert.deepEqual((await allPages(admin, 'orchid', limit)).map((hit) => hit.content), expected);
    assert.deepEqual((await allPages(admin, 'begonia', 1)).map((hit) => hit.content), expected.slice(4));
    assert.deepEqual(await allPages(admin, 'orchid filler', 50), []);
  });
});
