import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ContactRepository } from '../../src/db/repositories/contact.repository.js';
import { MessageRepository } from '../../src/db/repositories/message.repository.js';
import type { PublicUser } from '../../src/db/repositories/user.repository.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';

forEachEngine('inbox routes', (suite) => {
  let test: TestApp;
  let agent: { user: PublicUser; token: string };
  let admin: { user: PublicUser; token: string };
  const ids: Record<string, string> = {};

  before(async () => {
    test = await startTestApp(suite.database);
    agent = await signedInUser(test.ctx, 'agent');
    admin = await signedInUser(test.ctx, 'admin');
    const contacts = new ContactRepository(suite.database.db);
    const messages = new MessageRepository(suite.database.db);
    const base = Date.now() - 3600_000;
    for (const [index, name] of ['Old', 'Middle', 'New', 'Silent'].entries()) {
      const contact = await contacts.create({ phone: `+1555200000${index}`, name, tags: index === 1 ? ['vip'] : [] });
      ids[name] = contact.id;
      if (name === 'Silent') continue;
      await messages.createMany([
        { contact_id: contact.id, type: 'text', content: `${name} asks`, direction: 'inbound', status: 'received', created_at: new Date(base + index * 60_000) },
        { contact_id: contact.id, type: 'text', content: `${name} answered`, created_at: new Date(base + index * 60_000 + 30_000) },
        { contact_id: contact.id, type: 'text', content: `${name} again`, direction: 'inbound', status: 'received', created_at: new Date(base + index * 60_000 + 45_000) },
      ]);
    }
  });
  after(async () => test.close());

  it('lists conversations newest activity first with last message and unread count; contacts without messages are not conversations', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: bearer(agent.token) });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(body.items.map((item: { contact: { name: string } }) => item.contact.name), ['New', 'Middle', 'Old']);
    assert.equal(body.items[0].last_message.content, 'New again');
    assert.equal(body.items[0].unread_count, 2);
    assert.equal(body.items[0].status, 'open');
  });

  it('pages by cursor and filters by tag, search, status and assignee', async () => {
    const first = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=2', headers: bearer(agent.token) })).json();
    assert.equal(first.items.length, 2);
    const second = (await test.app.inject({ method: 'GET', url: `/api/v1/conversations?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`, headers: bearer(agent.token) })).json();
    assert.deepEqual(second.items.map((item: { contact: { name: string } }) => item.contact.name), ['Old']);
    assert.equal(second.next_cursor, null);
    const tagged = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?tag=VIP', headers: bearer(agent.token) })).json();
    assert.deepEqual(tagged.items.map((item: { contact: { name: string } }) => item.contact.name), ['Middle']);
    const searched = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?q=old', headers: bearer(agent.token) })).json();
    assert.deepEqual(searched.items.map((item: { contact: { name: string } }) => item.contact.name), ['Old']);
    const tampered = await test.app.inject({ method: 'GET', url: `/api/v1/conversations?cursor=${encodeURIComponent(`${first.next_cursor}x`)}`, headers: bearer(agent.token) });
    assert.equal(tampered.statusCode, 400);
    assert.equal(tampered.json().error.code, 'invalid_cursor');
  });

  it('assigns, closes and reopens a conversation; "assigned to me" and status filters follow', async () => {
    const assign = await test.app.inject({
      method: 'POST', url: `/api/v1/contacts/${ids['Old']}/conversation`, headers: bearer(agent.token), payload: { assignee_id: agent.user.id },
    });
    assert.equal(assign.statusCode, 200, assign.body);
    assert.equal(assign.json().assignee_id, agent.user.id);
    const mine = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?assignee=me', headers: bearer(agent.token) })).json();
    assert.deepEqual(mine.items.map((item: { contact: { name: string } }) => item.contact.name), ['Old']);
    const notAdmins = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?assignee=me', headers: bearer(admin.token) })).json();
    assert.equal(notAdmins.items.length, 0);
    const closed = await test.app.inject({ method: 'POST', url: `/api/v1/contacts/${ids['Middle']}/conversation`, headers: bearer(agent.token), payload: { status: 'closed' } });
    assert.equal(closed.json().status, 'closed');
    const open = (await test.app.inject({ method: 'GET', url: '/api/v1/conversations?status=open', headers: bearer(agent.token) })).json();
    assert.deepEqual(open.items.map((item: { contact: { name: string } }) => item.contact.name), ['New', 'Old']);
    const reopened = await test.app.inject({ method: 'POST', url: `/api/v1/contacts/${ids['Middle']}/conversation`, headers: bearer(agent.token), payload: { status: 'open' } });
    assert.equal(reopened.json().status, 'open');
  });

  it('refuses an unknown assignee, an unknown contact, an empty change and anonymous callers', async () => {
    const unknownUser = await test.app.inject({
      method: 'POST', url: `/api/v1/contacts/${ids['Old']}/conversation`, headers: bearer(agent.token), payload: { assignee_id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknownUser.statusCode, 404);
    assert.equal(unknownUser.json().error.code, 'user_not_found');
    const unknownContact = await test.app.inject({ method: 'POST', url: '/api/v1/contacts/nope/conversation', headers: bearer(agent.token), payload: { status: 'closed' } });
    assert.equal(unknownContact.statusCode, 404);
    const empty = await test.app.inject({ method: 'POST', url: `/api/v1/contacts/${ids['Old']}/conversation`, headers: bearer(agent.token), payload: {} });
    assert.equal(empty.statusCode, 400);
    const badStatus = await test.app.inject({ method: 'POST', url: `/api/v1/contacts/${ids['Old']}/conversation`, headers: bearer(agent.token), payload: { status: 'archived' } });
    assert.equal(badStatus.statusCode, 400);
    for (const url of ['/api/v1/conversations', '/api/v1/quick-replies', '/api/v1/stats/dashboard']) {
      assert.equal((await test.app.inject({ method: 'GET', url })).statusCode, 401);
    }
  });

  it('saves, lists and deletes quick replies; a taken shortcut is a conflict', async () => {
    const created = await test.app.inject({ method: 'POST', url: '/api/v1/quick-replies', headers: bearer(agent.token), payload: { shortcut: 'thanks', text: 'Thank you for writing!' } });
    assert.equal(created.statusCode, 201, created.body);
    const duplicate = await test.app.inject({ method: 'POST', url: '/api/v1/quick-replies', headers: bearer(agent.token), payload: { shortcut: 'thanks', text: 'Again' } });
    assert.equal(duplicate.statusCode, 409);
    const bad = await test.app.inject({ method: 'POST', url: '/api/v1/quick-replies', headers: bearer(agent.token), payload: { shortcut: 'Has Space', text: 'x' } });
    assert.equal(bad.statusCode, 400);
    const list = (await test.app.inject({ method: 'GET', url: '/api/v1/quick-replies', headers: bearer(agent.token) })).json();
    assert.deepEqual(list.items.map((item: { shortcut: string }) => item.shortcut), ['thanks']);
    assert.equal((await test.app.inject({ method: 'DELETE', url: `/api/v1/quick-replies/${created.json().id}`, headers: bearer(agent.token) })).statusCode, 204);
    assert.equal((await test.app.inject({ method: 'DELETE', url: `/api/v1/quick-replies/${created.json().id}`, headers: bearer(agent.token) })).statusCode, 404);
  });

  it('dashboard: messages per day for two weeks, median first response, open conversations', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v1/stats/dashboard', headers: bearer(agent.token) });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.messages_per_day.length, 14);
    const total = body.messages_per_day.reduce((sum: number, day: { inbound: number; outbound: number }) => sum + day.inbound + day.outbound, 0);
    assert.equal(total, 9);
    assert.equal(body.median_first_response_seconds, 30);
    assert.equal(body.open_conversations, 3);
  });
});
