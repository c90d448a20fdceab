/**
 * Small helpers for WhatsApp channel tests: contacts in a given window state, queued messages
 * written straight to the outbox, polling until the database says something, and posting signed
 * webhooks.
 */
import type { Kysely } from 'kysely';
import type { App } from '../../src/http/app.js';
import type { Contact, Database, Message, NewMessage } from '../../src/db/schema.js';
import { signedHeaders } from './cloud-api-stand-in.js';
import { uniquePhone } from './phones.js';

export interface ContactOptions {
  readonly phone?: string | null;
  readonly name?: string;
  /** Hours since the contact last wrote in; unset: never (the window is closed). */
  readonly inboundHoursAgo?: number;
  readonly optedOut?: boolean;
}

export async function createContact(db: Kysely<Database>, options: ContactOptions = {}): Promise<Contact> {
  const phone = options.phone === undefined ? uniquePhone() : options.phone;
  return db
    .insertInto('contacts')
    .values({
      phone,
      wa_user_id: phone === null ? `US.${Date.now()}${Math.floor(Math.random() * 1e6)}` : null,
      name: options.name ?? null,
      last_inbound_at: options.inboundHoursAgo === undefined ? null : new Date(Date.now() - options.inboundHoursAgo * 3_600_000),
      opted_out_at: options.optedOut ? new Date() : null,
      opted_out_source: options.optedOut ? 'agent' : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Pending outbound messages written straight to the outbox (as campaigns do), in one statement. */
export async function queueMessages(db: Kysely<Database>, rows: ReadonlyArray<Partial<NewMessage> & { contact_id: string }>): Promise<Message[]> {
  return db
    .insertInto('messages')
    .values(rows.map((row) => ({ direction: 'outbound' as const, status: 'pending' as const, type: 'text', content: 'Hello from FlowChat', ...row })))
    .returningAll()
    .execute();
}

/**
 * Outbound messages to a new contact whose window is open, one per wamid, in the status given
 * (as if Meta had already answered the send with that wamid); in the order of `statusByWamid`.
 */
export async function messagesWithWamids(db: Kysely<Database>, statusByWamid: Readonly<Record<string, Message['status']>>): Promise<Message[]> {
  const contact = await createContact(db, { inboundHoursAgo: 1 });
  return queueMessages(db, Object.entries(statusByWamid).map(([external_id, status]) => ({ contact_id: contact.id, status, external_id })));
}

export async function messageById(db: Kysely<Database>, id: string): Promise<Message> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Polls `probe` until it returns a value other than undefined or false. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'the expected state'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the message reaches `status`. */
export async function messageInStatus(db: Kysely<Database>, id: string, status: Message['status'], timeoutMs = 10_000): Promise<Message> {
  return eventually(async () => {
    const message = await messageById(db, id);
    return message.status === status ? message : undefined;
  }, timeoutMs, `message ${id} to be ${status}`);
}

/** POSTs `body` to the webhook endpoint signed with `appSecret` (exactly these bytes). */
export async function postWebhook(app: App, body: Buffer | string, appSecret: string) {
  return app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: signedHeaders(body, appSecret), payload: body });
}

/** Waits until every stored webhook has been processed. */
export async function webhooksProcessed(db: Kysely<Database>, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => {
    const row = await db.selectFrom('whatsapp_webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).where('processed_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n) === 0;
  }, timeoutMs, 'stored webhooks to be processed');
}
