import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { admitWithinDailyLimit, DAILY_LIMIT_HOLD, reachedInLastDay, releaseDailyLimitHolds } from '../../src/campaigns/daily-limit.js';
import { CampaignRepository } from '../../src/db/repositories/campaign.repository.js';
import type { Message } from '../../src/db/schema.js';
import { forEachEngine, type EngineSuite } from '../support/databases.js';
import { createContacts, type ContactSpec } from './fixtures.js';

/** Pending messages to new contacts, claimed as the sender claims them (`sending_at` set). */
async function claimedMessages(suite: EngineSuite, specs: readonly ContactSpec[], campaign: boolean): Promise<Message[]> {
  const contacts = await createContacts(suite.database, specs);
  const campaignId = campaign
    ? (await new CampaignRepository(suite.database.db).create({
        name: 'Limit', template: JSON.stringify({ name: 'promo', language: 'en_US' }), audience: {}, segment_id: null, scheduled_at: null, created_by: null,
      })).id
    : null;
  return suite.database.db
    .insertInto('messages')
    .values(contacts.map((contact) => ({
      contact_id: contact.id, campaign_id: campaignId, type: 'template', direction: 'outbound' as const, status: 'pending' as const,
      template: JSON.stringify({ name: 'promo', language: 'en_US' }), sending_at: new Date(),
    })))
    .returningAll()
    .execute();
}

async function holds(suite: EngineSuite, ids: readonly string[]) {
  return suite.database.db.selectFrom('messages').select(['id', 'hold_reason', 'sending_at', 'status']).where('id', 'in', [...ids]).execute();
}

forEachEngine('daily messaging limit', (suite) => {
  it('admits campaign messages up to the cap of unique out-of-window contacts and holds the rest, visibly pending', async () => {
    await sql`DELETE FROM messaging_limit_reach`.execute(suite.database.db);
    const claimed = await claimedMessages(suite, [{}, {}, {}, {}, {}], true);
    const { admitted, held } = await admitWithinDailyLimit(suite.database.db, claimed, 2);
    assert.equal(admitted.length, 2);
    assert.equal(held.length, 3);
    assert.deepEqual(admitted.map((m) => m.id), claimed.slice(0, 2).map((m) => m.id), 'oldest first, in claim order');
    for (const row of await holds(suite, held.map((m) => m.id))) {
      assert.equal(row.status, 'pending');
      assert.equal(row.hold_reason, DAILY_LIMIT_HOLD);
      assert.equal(row.sending_at, null, 'back in the queue, not in flight');
    }
    assert.equal(await reachedInLastDay(suite.database.db), 2);

    // The cap is spent: another batch is held whole.
    const more = await claimedMessages(suite, [{}], true);
    assert.equal((await admitWithinDailyLimit(suite.database.db, more, 2)).held.length, 1);
  });

  it('lets messages to contacts in their window, or already reached today, through for free', async () => {
    await sql`DELETE FROM messaging_limit_reach`.execute(suite.database.db);
    const [first] = await claimedMessages(suite, [{}], true);
    assert.ok(first);
    assert.equal((await admitWithinDailyLimit(suite.database.db, [first], 1)).admitted.length, 1);

    const inWindow = await claimedMessages(suite, [{ inboundHoursAgo: 2 }, { inboundHoursAgo: 3 }], true);
    const again = (await claimedMessages(suite, [{}], true))[0];
    assert.ok(again);
    await sql`UPDATE messages SET contact_id = ${first.contact_id} WHERE id = ${again.id}`.execute(suite.database.db);
    const decision = await admitWithinDailyLimit(suite.database.db, [...inWindow, { ...again, contact_id: first.contact_id }], 1);
    assert.equal(decision.admitted.length, 3);
    assert.equal(await reachedInLastDay(suite.database.db), 1, 'in-window contacts do not count');
  });

  it('never holds a conversation message, but counts it', async () => {
    await sql`DELETE FROM messaging_limit_reach`.execute(suite.database.db);
    const replies = await claimedMessages(suite, [{}, {}], false);
    const decision = await admitWithinDailyLimit(suite.database.db, replies, 1);
    assert.equal(decision.admitted.length, 2);
    assert.equal(await reachedInLastDay(suite.database.db), 2);
    const campaign = await claimedMessages(suite, [{}], true);
    assert.equal((await admitWithinDailyLimit(suite.database.db, campaign, 1)).held.length, 1);
  });

  it('admits everything and records nothing without a limit', async () => {
    await sql`DELETE FROM messaging_limit_reach`.execute(suite.database.db);
    const claimed = await claimedMessages(suite, [{}, {}, {}], true);
    assert.equal((await admitWithinDailyLimit(suite.database.db, claimed, undefined)).admitted.length, 3);
    assert.equal(await reachedInLastDay(suite.database.db), 0);
  });

  it('puts held messages back in line as the rolling window frees up', async () => {
    await sql`DELETE FROM messaging_limit_reach`.execute(suite.database.db);
    await sql`UPDATE messages SET hold_reason = NULL WHERE hold_reason = ${DAILY_LIMIT_HOLD}`.execute(suite.database.db);
    const claimed = await claimedMessages(suite, [{}, {}, {}, {}], true);
    const { held } = await admitWithinDailyLimit(suite.database.db, claimed, 1);
    assert.equal(held.length, 3);
    assert.equal(await releaseDailyLimitHolds(suite.database.db, 1), 0, 'no room yet');

    // A day later the first reach leaves the window: room for one more.
    await sql`UPDATE messaging_limit_reach SET reached_at = now() - interval '25 hours'`.execute(suite.database.db);
    assert.equal(await releaseDailyLimitHolds(suite.database.db, 1), 1);
    const stillHeld = (await holds(suite, held.map((m) => m.id))).filter((row) => row.hold_reason === DAILY_LIMIT_HOLD);
    assert.equal(stillHeld.length, 2);

    // A held contact that writes in costs nothing any more and is released too.
    const writer = held.find((m) => m.id === stillHeld[0]?.id);
    assert.ok(writer);
    await sql`UPDATE contacts SET last_inbound_at = now() WHERE id = ${writer.contact_id}`.execute(suite.database.db);
    assert.equal(await releaseDailyLimitHolds(suite.database.db, 1), 2, 'the writer, and one within the room');

    // Without a limit every hold is lifted.
    await sql`UPDATE messages SET hold_reason = ${DAILY_LIMIT_HOLD} WHERE id = ${writer.id}`.execute(suite.database.db);
    assert.equal(await releaseDailyLimitHolds(suite.database.db, undefined), 1);
  });
});
