/**
 * Messages. The thread reads newest first by keyset; status changes only move forward
 * (pending < sent < delivered < read; `failed` only from pending or sent; `canceled` only from
 * pending), enforced in the UPDATE itself so concurrent or out-of-order webhooks cannot regress it.
 */
import { sql, type UpdateObject } from 'kysely';
import type { ErrorCode } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { toPage, type KeysetPosition, type Page } from '../keyset.js';
import type { Database, Message, MessageStatus, NewMessage } from '../schema.js';
import { BaseRepository } from './base.repository.js';

export type OutboundStatus = Exclude<MessageStatus, 'received'>;

export interface StatusChange {
  readonly status: OutboundStatus;
  readonly at?: Date;
  readonly error?: { readonly code: string; readonly title?: string; readonly message?: string };
}

/** The statuses a message may be in for `status` to apply to it. */
const statusPredecessors: Readonly<Record<OutboundStatus, readonly MessageStatus[]>> = {
  pending: [],
  sent: ['pending'],
  delivered: ['pending', 'sent'],
  read: ['pending', 'sent', 'delivered'],
  failed: ['pending', 'sent'],
  canceled: ['pending'],
};

/** The statuses a status webhook moves a message forward to, and the timestamps each one sets when unset. */
export type ProgressStatus = 'sent' | 'delivered' | 'read';
const progressTimestamps: Readonly<Record<ProgressStatus, ReadonlyArray<'sent_at' | 'delivered_at' | 'read_at'>>> = {
  sent: ['sent_at'],
  delivered: ['sent_at', 'delivered_at'],
  read: ['sent_at', 'delivered_at', 'read_at'],
};

/** A move a status webhook makes: forward, or to `failed` with WhatsApp's error. */
export interface WebhookStatusChange {
  readonly id: string;
  readonly status: ProgressStatus | 'failed';
  readonly at: Date;
  readonly error?: StatusChange['error'];
}

export class MessageRepository extends BaseRepository<Message> {
  protected readonly table = 'messages';
  protected readonly writableColumns = [
    'from_user_id', 'contact_id', 'content', 'type', 'status', 'metadata', 'direction', 'external_id', 'template',
    'campaign_id', 'error_code', 'error_title', 'error_message', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'created_at',
    'hold_reason', 'not_before',
  ] as const;
  protected readonly sortableColumns = ['created_at'] as const;
  protected override readonly notFoundCode: ErrorCode = 'message_not_found';

  /** Inserts all `messages` in one statement. */
  async createMany(messages: readonly NewMessage[]): Promise<Message[]> {
    if (messages.length === 0) return [];
    return this.db.insertInto('messages').values([...messages]).returningAll().execute();
  }

  async findByExternalId(externalId: string): Promise<Message | undefined> {
    return this.db.selectFrom('messages').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  }

  /** The messages with these wamids, locked for update in id order (many at once, never deadlocking each other). */
  async lockByExternalIds(externalIds: readonly string[]): Promise<Message[]> {
    if (externalIds.length === 0) return [];
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('external_id', '=', sql<string>`ANY(${[...new Set(externalIds)]}::text[])`)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  }

  /** The thread of a contact, newest first; `before` is the position the previous page ended at. */
  async findByContactId(contactId: string, options: { limit?: number; before?: KeysetPosition } = {}): Promise<Page<Message>> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    if (!isUuid(contactId)) return { items: [], next: undefined };
    let query = this.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId);
    if (options.before) {
      const { value, id } = options.before;
      query = query.where(sql<boolean>`(created_at, id) < (${value}, ${id})`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return toPage(rows, limit, (row) => row.created_at);
  }

  /**
   * Moves the message to `change.status` if that is forward from where it is; returns the updated
   * row, or undefined when the change would move it backwards (or the message does not exist).
   */
  async updateStatus(id: string, change: StatusChange): Promise<Message | undefined> {
    if (!isUuid(id)) return undefined;
    const at = change.at ?? new Date();
    const from = statusPredecessors[change.status];
    if (from.length === 0) return undefined;
    const first = (column: 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at') => sql<Date>`coalesce(${sql.ref(column)}, ${at})`;
    const progress = (status: ProgressStatus): UpdateObject<Database, 'messages'> => Object.fromEntries(progressTimestamps[status].map((column) => [column, first(column)]));
    const timestamps: UpdateObject<Database, 'messages'> = {
      sent: progress('sent'),
      delivered: progress('delivered'),
      read: progress('read'),
      failed: {
        failed_at: first('failed_at'),
        error_code: change.error?.code ?? null,
        error_title: change.error?.title ?? null,
        error_message: change.error?.message ?? null,
      },
      canceled: {},
      pending: {},
    }[change.status];
    // Any status settles a send in flight; a message already in flight can no longer be canceled.
    let query = this.db
      .updateTable('messages')
      .set({ status: change.status, updated_at: sql`now()`, sending_at: null, ...timestamps })
      .where('id', '=', id)
      .where('direction', '=', 'outbound')
      .where('status', 'in', [...from]);
    if (change.status === 'canceled') query = query.where('sending_at', 'is', null);
    return query.returningAll().executeTakeFirst();
  }

  /**
   * `updateStatus` for many messages in one statement, for the moves status webhooks make (each
   * message at most once); returns the rows that moved.
   */
  async updateStatuses(changes: readonly WebhookStatusChange[]): Promise<Message[]> {
    const valid = changes.filter((change) => isUuid(change.id));
    if (valid.length === 0) return [];
    const moves = sql.join(
      (['sent', 'delivered', 'read', 'failed'] as const).map((status) => sql`WHEN ${status} THEN ${[...statusPredecessors[status]]}::text[]`),
      sql` `,
    );
    const stamp = (column: 'sent_at' | 'delivered_at' | 'read_at') => {
      const setBy = (['sent', 'delivered', 'read'] as const).filter((status) => progressTimestamps[status].includes(column));
      return sql<Date>`CASE WHEN c.status = ANY(${setBy}::text[]) THEN coalesce(m.${sql.ref(column)}, c.at) ELSE m.${sql.ref(column)} END`;
    };
    const onFailure = (column: 'failed_at' | 'error_code' | 'error_title' | 'error_message') =>
      sql`CASE WHEN c.status = 'failed' THEN ${column === 'failed_at' ? sql`coalesce(m.failed_at, c.at)` : sql`c.${sql.ref(column)}`} ELSE m.${sql.ref(column)} END`;
    const errors = (pick: (error: NonNullable<StatusChange['error']>) => string | undefined) => valid.map((change) => (change.error ? (pick(change.error) ?? null) : null));
    const result = await sql<Message>`
      UPDATE messages m
      SET status = c.status, updated_at = now(), sending_at = NULL,
          sent_at = ${stamp('sent_at')}, delivered_at = ${stamp('delivered_at')}, read_at = ${stamp('read_at')},
          failed_at = ${onFailure('failed_at')}, error_code = ${onFailure('error_code')}, error_title = ${onFailure('error_title')},
          error_message = ${onFailure('error_message')}
      FROM unnest(
        ${valid.map((change) => change.id)}::uuid[], ${valid.map((change) => change.status)}::text[], ${valid.map((change) => change.at)}::timestamptz[],
        ${errors((error) => error.code)}::text[], ${errors((error) => error.title)}::text[], ${errors((error) => error.message)}::text[]
      ) AS c(id, status, at, error_code, error_title, error_message)
      WHERE m.id = c.id AND m.direction = 'outbound' AND m.status = ANY(CASE c.status ${moves} END)
      RETURNING m.*
    `.execute(this.db);
    return result.rows;
  }

  /**
   * Marks a contact's unread inbound messages `read` (all of them, or only `ids`) and clears its
   * unread count; returns the messages that changed, for read receipts.
   */
  async markAsRead(contactId: string, ids?: readonly string[]): Promise<Message[]> {
    if (!isUuid(contactId)) return [];
    let query = this.db
      .updateTable('messages')
      .set({ status: 'read', read_at: sql`now()`, updated_at: sql`now()` })
      .where('contact_id', '=', contactId)
      .where('direction', '=', 'inbound')
      .where('status', '=', 'received');
    if (ids) query = query.where('id', '=', sql<string>`ANY(${ids.filter(isUuid)}::uuid[])`);
    const updated = await query.returningAll().execute();
    if (updated.length > 0) {
      await this.db
        .updateTable('contacts')
        .set({ unread_count: sql`GREATEST(unread_count - ${updated.length}, 0)` })
        .where('id', '=', contactId)
        .execute();
    }
    return updated;
  }
}
