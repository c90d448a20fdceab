/** Contacts and campaigns for the campaign tests, written straight to the database. */
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/connection.js';
import type { Contact, JsonObject } from '../../src/db/schema.js';
import { uniquePhone } from '../support/phones.js';

export interface ContactSpec {
  readonly name?: string | null;
  readonly tags?: readonly string[];
  readonly metadata?: JsonObject;
  readonly optedOut?: boolean;
  /** Hours since the contact last wrote in; unset: never. */
  readonly inboundHoursAgo?: number;
  readonly phone?: string | null;
}

export async function createContacts(database: DatabaseHandle, specs: readonly ContactSpec[]): Promise<Contact[]> {
  const rows: Contact[] = [];
  for (const spec of specs) {
    const phone = spec.phone === undefined ? uniquePhone() : spec.phone;
    rows.push(
      await database.db
        .insertInto('contacts')
        .values({
          phone,
          wa_user_id: phone === null ? `BR.${uniquePhone().slice(1)}` : null,
          name: spec.name === undefined ? `Contact ${rows.length + 1}` : spec.name,
          tags: [...(spec.tags ?? [])],
          metadata: JSON.stringify(spec.metadata ?? {}),
          opted_out_at: spec.optedOut ? new Date() : null,
          opted_out_source: spec.optedOut ? 'agent' : null,
          last_inbound_at: spec.inboundHoursAgo === undefined ? null : new Date(Date.now() - spec.inboundHoursAgo * 3600_000),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }
  return rows;
}

/** A tag no other test uses, so each test selects only its own contacts. */
let tagCounter = 0;
export function uniqueTag(prefix = 't'): string {
  tagCounter += 1;
  return `${prefix}${tagCounter}x${Date.now() % 100000}`;
}

/** The campaign's messages with their contact and template. */
export async function campaignMessages(database: DatabaseHandle, campaignId: string) {
  return database.db
    .selectFrom('messages')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('contact_id')
    .execute();
}

/** Marks every pending message of the campaign `status`, as the sender and webhooks would. */
export async function settleAll(database: DatabaseHandle, campaignId: string, status: 'sent' | 'delivered' | 'failed'): Promise<void> {
  await sql`
    UPDATE messages SET status = ${status}, sending_at = NULL, sent_at = now(), updated_at = now()
    WHERE campaign_id = ${campaignId} AND status = 'pending'
  `.execute(database.db);
}
