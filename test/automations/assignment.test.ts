import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { assignConversation } from '../../src/automations/assignment.js';
import { connect } from '../../src/db/connection.js';
import { transaction } from '../../src/db/transaction.js';
import { silentLogger } from '../../src/shared/logger.js';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { createContact } from '../support/whatsapp.js';
import { automationHarness } from './harness.js';

forEachEngine('Automatic assignment', (suite) => {
  const h = automationHarness(suite);
  beforeEach(async () => {
    // Only the agents a test creates take conversations.
    await h.t.ctx.db.updateTable('users').set({ available: false }).execute();
  });

  const rule = (actions: unknown[]) => h.rule({ trigger: 'conversation.opened', actions });
  const agent = async (available = true) => {
    const { user, token } = await signedInUser(h.t.ctx, 'agent');
    const set = await h.t.app.inject({ method: 'PATCH', url: '/api/v1/auth/me', headers: bearer(token), payload: { available } });
    assert.equal(set.statusCode, 200, set.payload);
    assert.equal(set.json().available, available);
    return user.id;
  };
  /** A new customer writes in; returns who the conversation went to. */
  const newConversation = async (): Promise<string | null> => {
    const from = h.customer();
    await h.say(from, 'hello');
    return (await h.t.ctx.db.selectFrom('contacts').select('assignee_id').where('phone', '=', `+${from}`).executeTakeFirstOrThrow()).assignee_id;
  };

  it('round robin takes the available agents in turn and skips those who set available: false', async () => {
    const first = await agent();
    const second = await agent();
    await agent(false);
    await rule([{ type: 'assign', strategy: 'round_robin' }]);
    const assigned = [await newConversation(), await newConversation(), await newConversation(), await newConversation()];
    assert.deepEqual(new Set(assigned.slice(0, 2)), new Set([first, second]));
    assert.deepEqual(assigned.slice(2), assigned.slice(0, 2));
    const me = await h.t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(h.admin) });
    assert.equal(me.json().available, false);
  });

  it('least busy takes the agent with the fewest open conversations', async () => {
    const busy = await agent();
    const idle = await agent();
    for (let i = 0; i < 2; i += 1) {
      const contact = await createContact(h.t.ctx.db, { inboundHoursAgo: 1 });
      await h.t.ctx.db.updateTable('contacts').set({ assignee_id: busy, last_message_at: new Date() }).where('id', '=', contact.id).execute();
    }
    await rule([{ type: 'assign', strategy: 'least_busy' }]);
    assert.equal(await newConversation(), idle);
    assert.equal(await newConversation(), idle);
    // Now two each: the one assigned longest ago.
    assert.equal(await newConversation(), busy);
  });

  it('assigns a named user, and never takes a conversation from its assignee', async () => {
    const named = await agent(false);
    const other = await agent();
    await rule([{ type: 'assign', user_id: named }, { type: 'assign', strategy: 'round_robin' }]);
    assert.equal(await newConversation(), named);
    const audit = await h.t.app.inject({ method: 'GET', url: '/api/v1/audit?action=automation.ran&limit=1', headers: bearer(h.admin) });
    assert.deepEqual(audit.json().items[0].details.actions, [{ type: 'assign', outcome: 'assigned' }, { type: 'assign', outcome: 'already_assigned' }]);
    assert.notEqual(named, other);
  });

  it('leaves the conversation unassigned when no agent is available', async () => {
    await rule([{ type: 'assign', strategy: 'round_robin' }]);
    assert.equal(await newConversation(), null);
  });

  it('never gives one conversation two agents when two processes assign it at once', async () => {
    const one = await agent();
    const two = await agent();
    // A second process: its own connection pool on the same database (the embedded engine has one session, so it serialises).
    const other = suite.database.url ? await connect({ databaseUrl: suite.database.url, logger: silentLogger() }) : undefined;
    try {
      for (let round = 0; round < 5; round += 1) {
        const contact = await createContact(h.t.ctx.db, { inboundHoursAgo: 1 });
        const results = await Promise.all([
          transaction(h.t.ctx.db, (trx) => assignConversation(trx, contact.id, { userId: one }, undefined)),
          transaction((other ?? h.t.ctx.database).db, (trx) => assignConversation(trx, contact.id, { userId: two }, undefined)),
        ]);
        const outcomes = results.map((result) => result.outcome).sort();
        assert.deepEqual(outcomes, ['already_assigned', 'assigned']);
        const winner = results[0]?.outcome === 'assigned' ? one : two;
        const stored = await h.t.ctx.db.selectFrom('contacts').select('assignee_id').where('id', '=', contact.id).executeTakeFirstOrThrow();
        assert.equal(stored.assignee_id, winner);
      }
    } finally {
      await other?.close();
    }
  });
});
