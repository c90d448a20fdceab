import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ENV_CHANNEL_ID } from '../../src/channels/environment-channel.js';
import { OutboxRepository, type ClaimedMessage } from '../../src/db/repositories/outbox.repository.js';
import type { Message } from '../../src/db/schema.js';
import { transaction } from '../../src/db/transaction.js';
import { forEachEngine } from '../support/databases.js';
import { createContact, messageById, queueMessages } from '../support/whatsapp.js';

forEachEngine('putting claimed messages back', (suite) => {
  async function claimOne(): Promise<ClaimedMessage> {
    const [claimed] = await transaction(suite.database.db, (trx) => new OutboxRepository(trx).claim(1, ENV_CHANNEL_ID));
    assert.ok(claimed, 'a message was claimed');
    return claimed;
  }

  /** A new pending message, with the suite's earlier ones failed so that a claim can take only this one. */
  async function theOnlyPendingMessage(): Promise<Message> {
    const db = suite.database.db;
    await db.updateTable('messages').set({ status: 'failed' }).where('status', '=', 'pending').execute();
    const contact = await createContact(db, { inboundHoursAgo: 1 });
    const [message] = await queueMessages(db, [{ contact_id: contact.id }]);
    assert.ok(message);
    return message;
  }

  it('puts a claim back by its stamp, so a stale put-back never frees a message another process has claimed since', async () => {
    const db = suite.database.db;
    const message = await theOnlyPendingMessage();
    const outbox = new OutboxRepository(db);

    const first = await claimOne();
    await outbox.release([first]);
    assert.equal((await messageById(db, message.id)).sending_at, null, 'back in the queue');

    const second = await claimOne();
    assert.notEqual(second.claim_stamp, first.claim_stamp);
    // The first claimer retries a put-back it thought had failed (its answer was lost).
    await outbox.release([first]);
    const still = await messageById(db, message.id);
    assert.notEqual(still.sending_at, null, 'the second claim stands: the message cannot be claimed and sent twice');
    assert.equal(still.send_attempts, 1);
    assert.deepEqual(await transaction(db, (trx) => new OutboxRepository(trx).claim(1, ENV_CHANNEL_ID)), []);

    await outbox.release([second]);
    assert.equal((await messageById(db, message.id)).sending_at, null);
  });

  it('leaves a message alone when the claim that returned it never committed', async () => {
    const db = suite.database.db;
    const message = await theOnlyPendingMessage();
    let returned: ClaimedMessage[] = [];
    await assert.rejects(transaction(db, async (trx) => {
      returned = await new OutboxRepository(trx).claim(1, ENV_CHANNEL_ID);
      throw new Error('the commit never happened');
    }));
    assert.equal(returned.length, 1);
    const other = await claimOne();
    await new OutboxRepository(db).release(returned);
    assert.equal((await messageById(db, message.id)).sending_at?.getTime(), other.sending_at?.getTime(), 'the other claim stands');
  });
});
