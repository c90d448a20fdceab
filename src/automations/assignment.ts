/**
 * Automatic assignment. The conversation's contact row is locked first and assigned only while it
 * has no assignee, in one conditional UPDATE, so two processes never give one conversation two
 * agents. Round robin takes the available agent assigned longest ago (`users.last_assigned_at`,
 * kept in the database, so every process takes turns from the same state); least busy the one with
 * the fewest open conversations. Agents are claimed with SKIP LOCKED, so two processes assigning
 * at once pick different agents rather than wait on each other.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Contact } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { agentsOf } from './channel-scope.js';

export type AssignStrategy = 'round_robin' | 'least_busy';

export type AssignOutcome = 'assigned' | 'already_assigned' | 'no_available_agent' | 'user_not_found';

function order(strategy: AssignStrategy): RawBuilder<unknown> {
  const openConversations = sql`(SELECT count(*) FROM contacts c WHERE c.assignee_id = u.id AND c.conversation_status = 'open' AND c.last_message_at IS NOT NULL)`;
  return strategy === 'least_busy' ? sql`${openConversations}, u.last_assigned_at ASC NULLS FIRST, u.id` : sql`u.last_assigned_at ASC NULLS FIRST, u.id`;
}

/** The next agent by `strategy` among the available ones of the channel; undefined when there is none. */
async function pickAgent(db: Executor, strategy: AssignStrategy, channelId: string | undefined): Promise<string | undefined> {
  const pick = async (lock: boolean): Promise<string | undefined> => {
    const { rows } = await sql<{ id: string }>`
      SELECT u.id FROM users u WHERE u.available AND ${agentsOf(channelId)}
      ORDER BY ${order(strategy)} LIMIT 1 ${lock ? sql`FOR UPDATE SKIP LOCKED` : sql``}
    `.execute(db);
    return rows[0]?.id;
  };
  // Every candidate being claimed by other transactions at this moment: take the first anyway.
  return (await pick(true)) ?? (await pick(false));
}

/** Assigns the contact's conversation to `target` (a user id or a strategy) unless it has an assignee. */
export async function assignConversation(
  db: Executor,
  contactId: string,
  target: { readonly userId: string } | { readonly strategy: AssignStrategy },
  channelId: string | undefined,
): Promise<{ outcome: AssignOutcome; contact?: Contact }> {
  const current = await db.selectFrom('contacts').select('assignee_id').where('id', '=', contactId).forUpdate().executeTakeFirst();
  if (!current) throw new Error(`contact ${contactId} disappeared while its automation ran`);
  if (current.assignee_id !== null) return { outcome: 'already_assigned' };
  const userId = 'userId' in target ? target.userId : await pickAgent(db, target.strategy, channelId);
  if (userId === undefined) return { outcome: 'no_available_agent' };
  const contact = await db
    .updateTable('contacts')
    .set({ assignee_id: userId, updated_at: sql`now()` })
    .where('id', '=', contactId)
    .where('assignee_id', 'is', null)
    .where(({ exists, selectFrom }) => exists(selectFrom('users').select('id').where('id', '=', userId)))
    .returningAll()
    .executeTakeFirst();
  if (!contact) return { outcome: 'user_not_found' };
  // The clock, not the transaction's start: a batch assigning several conversations takes turns.
  await db.updateTable('users').set({ last_assigned_at: sql`clock_timestamp()` }).where('id', '=', userId).execute();
  return { outcome: 'assigned', contact };
}
