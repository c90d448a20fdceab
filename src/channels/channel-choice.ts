/**
 * Which channel a send goes out on, and whether its 24-hour window is open there: the channel the
 * send names, else the one the contact last wrote to, else the default (first) channel. The window
 * is per number: on the contact's own channel it is the contact's `last_inbound_at`, as before
 * channels; on another, the contact's newest inbound message on that channel.
 */
import { sql } from 'kysely';
import { fillEmptyContactColumn } from '../db/repositories/contact-fill.js';
import type { Contact, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { AppError } from '../shared/errors.js';
import type { ChannelDirectory } from './channel-directory.js';

export interface ChannelRequest {
  /** The `channel_id` of the send, if given. */
  readonly named: string | undefined;
  readonly contact: Pick<Contact, 'channel_id'> | undefined;
}

export class ChannelChoice {
  constructor(private readonly directory: ChannelDirectory) {}

  /** Each send's channel id; 422 `channel_not_found` when a send names a channel that is not live. */
  pick(requests: readonly ChannelRequest[]): string[] {
    const unknown = [...new Set(requests.flatMap((request) => (request.named !== undefined && !this.directory.get(request.named) ? [request.named] : [])))];
    if (unknown.length > 0) throw new AppError('unknown_channel', undefined, { channel_ids: unknown });
    const fallback = this.directory.defaultChannel().id;
    return requests.map((request) => {
      if (request.named !== undefined) return request.named;
      const own = request.contact?.channel_id;
      return own && this.directory.get(own) ? own : fallback;
    });
  }

  /** When each contact last wrote in on the channel given with it (null: never), in one query for all. */
  async lastInbound(db: Executor, sends: ReadonlyArray<{ readonly contact: Pick<Contact, 'id' | 'channel_id' | 'last_inbound_at'>; readonly channelId: string }>): Promise<Array<Date | null>> {
    const elsewhere = sends.filter((send) => send.contact.channel_id !== null && send.contact.channel_id !== send.channelId);
    const found = new Map<string, Date | null>();
    if (elsewhere.length > 0) {
      const values = sql.join(elsewhere.map((send) => sql`(${send.contact.id}::uuid, ${send.channelId}::uuid)`));
      const { rows } = await sql<{ contact_id: string; channel_id: string; at: Date | null }>`
        SELECT v.contact_id, v.channel_id,
          (SELECT max(m.created_at) FROM messages m WHERE m.contact_id = v.contact_id AND m.channel_id = v.channel_id AND m.direction = 'inbound') AS at
        FROM (VALUES ${values}) AS v(contact_id, channel_id)
      `.execute(db);
      for (const row of rows) found.set(`${row.contact_id}/${row.channel_id}`, row.at === null ? null : new Date(row.at));
    }
    return sends.map((send) =>
      send.contact.channel_id === null || send.contact.channel_id === send.channelId ? send.contact.last_inbound_at : (found.get(`${send.contact.id}/${send.channelId}`) ?? null),
    );
  }

  /** A contact with no conversation channel yet takes the channel of the first message sent to it. */
  async settleConversations(db: Executor, messages: readonly Pick<Message, 'contact_id' | 'channel_id'>[]): Promise<void> {
    await fillEmptyContactColumn(db, 'channel_id', messages.map((message) => ({ contactId: message.contact_id, value: message.channel_id })));
  }
}
