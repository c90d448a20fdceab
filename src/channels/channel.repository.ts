/**
 * Channels, their members, and what a channel owns in other tables (its pacer and pause rows, its
 * queued messages). Deleted channels keep their row (`deleted_at`): their messages still name them.
 */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Channel, ChannelsTable, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export class ChannelRepository {
  constructor(private readonly db: Executor) {}

  /** Every channel not deleted, oldest first (the environment channel leads). */
  listLive(): Promise<Channel[]> {
    return this.db.selectFrom('channels').selectAll().where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  }

  findById(id: string): Promise<Channel | undefined> {
    return this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Whether a live channel added over the API already has this number. */
  async numberTaken(phoneNumberId: string): Promise<boolean> {
    const row = await this.db.selectFrom('channels').select('id').where('phone_number_id', '=', phoneNumberId).where('deleted_at', 'is', null).where('source', '=', 'api').executeTakeFirst();
    return row !== undefined;
  }

  /** Inserts the channel with its pacer and pause rows (call inside a transaction). */
  async create(values: Insertable<ChannelsTable> & { id: string }): Promise<Channel> {
    const channel = await this.db.insertInto('channels').values(values).returningAll().executeTakeFirstOrThrow();
    await this.db.insertInto('whatsapp_pacer').values({ channel_id: channel.id, next_slot_us: 0 }).execute();
    await this.db.insertInto('whatsapp_sender_state').values({ channel_id: channel.id }).execute();
    return channel;
  }

  update(id: string, values: Updateable<ChannelsTable>): Promise<Channel | undefined> {
    return this.db.updateTable('channels').set({ ...values, updated_at: sql`now()` }).where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
  }

  markDeleted(id: string): Promise<Channel | undefined> {
    return this.db.updateTable('channels').set({ deleted_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
  }

  /** Cancels the channel's queued messages (not those already in flight); returns them. */
  cancelQueued(channelId: string): Promise<Message[]> {
    return this.db
      .updateTable('messages')
      .set({ status: 'canceled', updated_at: sql`now()` })
      .where('channel_id', '=', channelId)
      .where('status', '=', 'pending')
      .where('direction', '=', 'outbound')
      .where('sending_at', 'is', null)
      .returningAll()
      .execute();
  }

  /** Member user ids per channel id. */
  async members(channelIds: readonly string[]): Promise<Map<string, string[]>> {
    const byChannel = new Map<string, string[]>(channelIds.map((id) => [id, []]));
    if (channelIds.length === 0) return byChannel;
    const rows = await this.db.selectFrom('channel_members').select(['channel_id', 'user_id']).where('channel_id', 'in', [...channelIds]).orderBy('user_id').execute();
    for (const row of rows) byChannel.get(row.channel_id)?.push(row.user_id);
    return byChannel;
  }

  /** Replaces the channel's members. */
  async setMembers(channelId: string, userIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('channel_members').where('channel_id', '=', channelId).execute();
    if (userIds.length > 0) await this.db.insertInto('channel_members').values(userIds.map((user_id) => ({ channel_id: channelId, user_id }))).execute();
  }

  /**
   * The live channels `userId` may see: those with no members, and those they are a member of.
   */
  async visibleTo(userId: string): Promise<string[]> {
    const rows = await sql<{ id: string }>`
      SELECT c.id FROM channels c
      WHERE NOT EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id)
         OR EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id AND m.user_id = ${userId})
    `.execute(this.db);
    return rows.rows.map((row) => row.id);
  }
}
