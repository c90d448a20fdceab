import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { ContactRepository } from '../../src/db/repositories/contact.repository.js';
import { MessageRepository } from '../../src/db/repositories/message.repository.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { UserRepository } from '../../src/db/repositories/user.repository.js';
import { AppError, ConflictError, NotFoundError } from '../../src/shared/errors.js';
import { forEachEngine } from '../support/databases.js';

forEachEngine('repositories', (suite) => {
  it('users: email lookup ignores case, the hash never leaves, a duplicate email in any case is a conflict on email', async () => {
    const users = new UserRepository(suite.database.db);
    const created = await users.createUser({ email: 'Mixed.Case@Example.com', name: 'Mia', role: 'agent', password: 'long enough password' });
    assert.equal('password_hash' in created, false);
    const found = await users.findByEmail('mixed.case@example.COM');
    assert.equal(found?.id, created.id);
    assert.equal(found && 'password_hash' in found, false);
    const page = await users.findAll({ orderBy: 'email' });
    assert.ok(page.items.every((user) => !('password_hash' in user)));
    await assert.rejects(
      users.createUser({ email: 'MIXED.case@example.com', name: 'Dup', role: 'agent', password: 'long enough password' }),
      (error: unknown) => error instanceof ConflictError && error.field === 'email',
    );
  });

  it('users: passwords verify, wrong ones and unknown emails do not, and updatePassword replaces the old one', async () => {
    const users = new UserRepository(suite.database.db);
    const user = await users.createUser({ email: 'pw@example.com', name: 'Pat', role: 'admin', password: 'first password!' });
    assert.equal((await users.verifyPassword('PW@example.com', 'first password!'))?.id, user.id);
    assert.equal(await users.verifyPassword('pw@example.com', 'wrong password!'), undefined);
    assert.equal(await users.verifyPassword('nobody@example.com', 'first password!'), undefined);
    await users.updatePassword(user.id, 'second password!');
    assert.equal(await users.verifyPassword('pw@example.com', 'first password!'), undefined);
    assert.equal((await users.verifyPassword('pw@example.com', 'second password!'))?.id, user.id);
  });

  it('refuses sort columns and field names that are not on the model’s own lists', async () => {
    const contacts = new ContactRepository(suite.database.db);
    for (const orderBy of ['phone; DROP TABLE contacts', 'password_hash', 'id)--', 'tags']) {
      await assert.rejects(contacts.findAll({ orderBy }), (error: unknown) => error instanceof AppError && error.code === 'invalid_sort');
    }
    await assert.rejects(
      contacts.create({ phone: '+15550000001', 'name) VALUES (1); --': 'x' }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_field',
    );
    const users = new UserRepository(suite.database.db);
    const user = await users.createUser({ email: 'role@example.com', name: 'R', role: 'agent', password: 'long enough password' });
    await assert.rejects(users.update(user.id, { created_at: new Date(0) }), (error: unknown) => error instanceof AppError && error.code === 'invalid_field');
    assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts`.execute(suite.database.db)).rows[0]?.n !== undefined, true);
  });

  it('update and delete of a missing row are NotFoundError; findById of a non-id is undefined', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const missing = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(contacts.update(missing, { name: 'x' }), NotFoundError);
    await assert.rejects(contacts.delete(missing), NotFoundError);
    await assert.rejects(contacts.delete('../../etc/passwd'), NotFoundError);
    assert.equal(await contacts.findById("1' OR '1'='1"), undefined);
  });

  it('contacts: upsert by phone creates then merges (tags added, metadata merged, given fields replace)', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const first = await contacts.upsertByPhone({ phone: '+15550000100', name: 'Old', tags: ['a'], metadata: { city: 'Recife', plan: 'gold' } });
    assert.equal(first.created, true);
    const second = await contacts.upsertByPhone({ phone: '+15550000100', email: 'new@example.com', tags: ['b', 'a'], metadata: { plan: 'platinum' } });
    assert.equal(second.created, false);
    assert.equal(second.contact.id, first.contact.id);
    assert.equal(second.contact.name, 'Old');
    assert.equal(second.contact.email, 'new@example.com');
    assert.deepEqual(second.contact.tags, ['a', 'b']);
    assert.deepEqual(second.contact.metadata, { city: 'Recife', plan: 'platinum' });
    const merged = await contacts.mergeMetadata(first.contact.id, { city: null, vip: true });
    assert.deepEqual(merged.metadata, { plan: 'platinum', vip: true });
  });

  it('contacts: search by tags all/any with message_count, in one query that runs (the seed’s could not)', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const messages = new MessageRepository(suite.database.db);
    const both = await contacts.create({ phone: '+15550000201', name: 'Both', tags: ['s-red', 's-blue'] });
    const red = await contacts.create({ phone: '+15550000202', name: 'Red', tags: ['s-red'] });
    await contacts.create({ phone: '+15550000203', name: 'None', tags: ['s-green'] });
    await messages.createMany([
      { contact_id: red.id, type: 'text', content: 'a' },
      { contact_id: red.id, type: 'text', content: 'b', direction: 'inbound', status: 'received' },
      { contact_id: both.id, type: 'text', content: 'c' },
    ]);
    const all = await contacts.searchContacts({ tags: ['s-red', 's-blue'], match: 'all' });
    assert.deepEqual(all.items.map((c) => c.name), ['Both']);
    const any = await contacts.searchContacts({ tags: ['s-red', 's-blue'], match: 'any', sort: 'message_count', order: 'desc' });
    assert.deepEqual(any.items.map((c) => [c.name, c.message_count]), [['Red', 2], ['Both', 1]]);
    const byText = await contacts.searchContacts({ q: 'BOT' });
    assert.deepEqual(byText.items.map((c) => c.name), ['Both']);
    const wildcard = await contacts.searchContacts({ q: '%' });
    assert.equal(wildcard.items.length, 0, 'LIKE wildcards in q are literal');
  });

  it('contacts: keyset pages neither skip nor repeat rows that share a sort value', async () => {
    const contacts = new ContactRepository(suite.database.db);
    // One statement, so the server stamps every row with the same now(); microseconds included
    // before the column rounds them, which is what once made Date-based cursors skip rows.
    await suite.database.db
      .insertInto('contacts')
      .values(Array.from({ length: 23 }, (_, index) => ({ phone: `+1555000${String(index).padStart(4, '0')}9`, name: `Tie ${index % 3}`, tags: ['tie'] })))
      .execute();
    for (const sort of ['created_at', 'name', 'message_count', 'last_message_at'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let after;
        do {
          const page = await contacts.searchContacts({ tags: ['tie'], sort, order, limit: 4, after });
          seen.push(...page.items.map((c) => c.id));
          after = page.next;
        } while (after);
        assert.equal(seen.length, 23, `${sort} ${order}: every row once`);
        assert.equal(new Set(seen).size, 23, `${sort} ${order}: no repeats`);
      }
    }
  });

  it('messages: the thread pages newest first without skipping rows created in the same millisecond', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const messages = new MessageRepository(suite.database.db);
    const contact = await contacts.create({ phone: '+15550000301', name: 'Thread' });
    const now = Date.now();
    await messages.createMany(
      Array.from({ length: 30 }, (_, index) => ({ contact_id: contact.id, type: 'text', content: `m${index}`, created_at: new Date(now - Math.floor(index / 4) * 1000) })),
    );
    const seen: string[] = [];
    let before;
    do {
      const page = await messages.findByContactId(contact.id, { limit: 7, before });
      seen.push(...page.items.map((m) => m.id));
      before = page.next;
    } while (before);
    assert.equal(new Set(seen).size, 30);
    const reloaded = await contacts.findByIdOrThrow(contact.id);
    assert.equal(reloaded.message_count, 30, 'message_count kept by the insert trigger');
  });

  it('messages: status only moves forward, whatever order updates arrive in', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const messages = new MessageRepository(suite.database.db);
    const contact = await contacts.create({ phone: '+15550000401', name: 'Status' });
    const [message] = await messages.createMany([{ contact_id: contact.id, type: 'text', content: 'hi' }]);
    assert.ok(message);
    assert.equal((await messages.updateStatus(message.id, { status: 'read' }))?.status, 'read');
    assert.equal(await messages.updateStatus(message.id, { status: 'delivered' }), undefined, 'a late delivered never downgrades read');
    assert.equal(await messages.updateStatus(message.id, { status: 'failed', error: { code: '131026' } }), undefined, 'no failure after read');
    const row = await messages.findByIdOrThrow(message.id);
    assert.equal(row.status, 'read');
    assert.ok(row.sent_at && row.delivered_at && row.read_at, 'skipped steps get their timestamps');

    const [second] = await messages.createMany([{ contact_id: contact.id, type: 'text', content: 'again' }]);
    assert.ok(second);
    assert.equal((await messages.updateStatus(second.id, { status: 'failed', error: { code: '131047', title: 'Re-engagement message' } }))?.error_code, '131047');
    assert.equal(await messages.updateStatus(second.id, { status: 'sent' }), undefined, 'a late sent never revives a failed message');
    assert.equal(await messages.updateStatus(second.id, { status: 'canceled' }), undefined);

    const [third] = await messages.createMany([{ contact_id: contact.id, type: 'text', content: 'later' }]);
    assert.ok(third);
    assert.equal((await messages.updateStatus(third.id, { status: 'sent' }))?.status, 'sent');
    assert.equal(await messages.updateStatus(third.id, { status: 'canceled' }), undefined, 'canceled only from pending');
  });

  it('messages: markAsRead reads the unread inbound messages and clears the unread count', async () => {
    const contacts = new ContactRepository(suite.database.db);
    const messages = new MessageRepository(suite.database.db);
    const contact = await contacts.create({ phone: '+15550000501', name: 'Unread' });
    await messages.createMany([
      { contact_id: contact.id, type: 'text', content: 'one', direction: 'inbound', status: 'received' },
      { contact_id: contact.id, type: 'text', content: 'two', direction: 'inbound', status: 'received' },
      { contact_id: contact.id, type: 'text', content: 'reply' },
    ]);
    assert.equal((await contacts.findByIdOrThrow(contact.id)).unread_count, 2);
    const read = await messages.markAsRead(contact.id);
    assert.deepEqual(read.map((m) => m.status), ['read', 'read']);
    assert.equal((await contacts.findByIdOrThrow(contact.id)).unread_count, 0);
    assert.deepEqual(await messages.markAsRead(contact.id), []);
  });

  it('sessions: found by token only while unexpired, never by the stored hash, and purged when expired', async () => {
    const users = new UserRepository(suite.database.db);
    const sessions = new SessionRepository(suite.database.db);
    const user = await users.createUser({ email: 'session@example.com', name: 'S', role: 'agent', password: 'long enough password' });
    const { session, token } = await sessions.create(user.id, 3600);
    assert.notEqual(session.token_hash, token);
    assert.equal((await sessions.findValid(token, 3600))?.id, session.id);
    assert.equal(await sessions.findValid(session.token_hash, 3600), undefined);
    const expired = await sessions.create(user.id, 3600);
    await suite.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.session.id).execute();
    assert.equal(await sessions.findValid(expired.token, 3600), undefined);
    assert.equal(await sessions.purgeExpired(), 1);
    await sessions.delete(session.id);
    assert.equal(await sessions.findValid(token, 3600), undefined);
  });
});
