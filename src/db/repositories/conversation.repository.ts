/**
 * The inbox's conversation list: contacts that have messages, newest activity first, each with its
 * last message, in one query (a LATERAL probe of the thread index per contact on the page).
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { afterPosition, toPage, type KeysetPosition, type Page } from '../keyset.js';
import type { Contact, ConversationStatus, Message } from '../schema.js';
import type { Executor } from '../transaction.js';
import { likePattern } from './contact.repository.js';

export interface ConversationFilter {
  readonly status?: ConversationStatus;
  /** A user id, or null for unassigned conversations. */
  readonly assigneeId?: string | null;
  readonly tag?: string;
  readonly q?: string;
  /** Only conversations of these channels (a contact without a channel counts as every channel's). */
  readonly channelIds?: readonly string[];
  readonly limit?: number;
  readonly after?: KeysetPosition;
}

export interface ConversationRow {
  readonly id: string;
  readonly contact: Contact;
  readonly lastMessage: Message | null;
}

const messageColumns = [
  'id', 'from_user_id', 'contact_id', 'content', 'type', 'status', 'metadata', 'direction', 'external_id', 'template', 'campaign_id',
  'error_code', 'error_title', 'error_message', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'created_at', 'updated_at', 'channel_id',
] as const satisfies readonly (keyof Message)[];

export class ConversationRepository {
  constructor(private readonly db: Executor) {}

  async list(filter: ConversationFilter): Promise<Page<ConversationRow>> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const conditions: Expression<SqlBool>[] = [sql<SqlBool>`c.last_message_at IS NOT NULL`];
    if (filter.status) conditions.push(sql<SqlBool>`c.conversation_status = ${filter.status}`);
    if (filter.assigneeId !== undefined) {
      conditions.push(filter.assigneeId === null ? sql<SqlBool>`c.assignee_id IS NULL` : sql<SqlBool>`c.assignee_id = ${filter.assigneeId}`);
    }
    if (filter.tag) conditions.push(sql<SqlBool>`c.tags @> ARRAY[${filter.tag}]::text[]`);
    if (filter.channelIds) conditions.push(sql<SqlBool>`(c.channel_id = ANY(${[...filter.channelIds]}::uuid[]) OR c.channel_id IS NULL)`);
    const q = filter.q?.trim();
    if (q) {
      const pattern = likePattern(q);
      conditions.push(sql<SqlBool>`(c.name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.phone ILIKE ${pattern})`);
    }
    if (filter.after) conditions.push(afterPosition('last_message_at', 'desc', filter.after, 'c'));
    const lastMessage = sql.join(messageColumns.map((column) => sql`m.${sql.ref(column)} AS ${sql.ref(`m_${column}`)}`));
    // The page's ids first, from the conversations index alone (it carries status, assignee and
    // tags: migration 20240320), so conversations a filter skips cost no heap visit.
    const result = await sql<Record<string, unknown>>`
      SELECT c.*, ${lastMessage}
      FROM (
        SELECT c.id FROM contacts c
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY c.last_message_at DESC, c.id DESC
        LIMIT ${limit + 1}
      ) page
      JOIN contacts c ON c.id = page.id
      LEFT JOIN LATERAL (
        SELECT * FROM messages WHERE contact_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1
      ) m ON true
      ORDER BY c.last_message_at DESC, c.id DESC
    `.execute(this.db);
    const rows = result.rows.map((row) => {
      const contact: Record<string, unknown> = {};
      const message: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (key.startsWith('m_')) message[key.slice(2)] = value;
        else contact[key] = value;
      }
      return {
        id: contact['id'] as string,
        contact: contact as unknown as Contact,
        lastMessage: message['id'] ? (message as unknown as Message) : null,
      };
    });
    return toPage(rows, limit, (row) => row.contact.last_message_at);
  }
}
