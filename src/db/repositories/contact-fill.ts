/**
 * Fills a contact column that is still empty from (contact, value) pairs, in one statement: the
 * conversation channel a contact's first send sets, the `wa_id` WhatsApp answers a send with.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../transaction.js';

interface Fillable {
  readonly type: RawBuilder<unknown>;
  /** One contact per value, and none when another contact has it already; else one value per contact. */
  readonly unique: boolean;
}

const fillable = {
  channel_id: { type: sql.raw('uuid'), unique: false },
  wa_id: { type: sql.raw('text'), unique: true },
} as const satisfies Record<string, Fillable>;

export interface ContactValue {
  readonly contactId: string;
  readonly value: string;
}

/** Sets `column` to the pair's value on each contact where it is NULL. */
export async function fillEmptyContactColumn(db: Executor, column: keyof typeof fillable, pairs: readonly ContactValue[]): Promise<void> {
  if (pairs.length === 0) return;
  const { type, unique } = fillable[column];
  const target = sql.ref(column);
  const values = sql.join(pairs.map((pair) => sql`(${pair.contactId}::uuid, ${pair.value}::${type})`));
  await sql`
    UPDATE contacts c SET ${target} = v.value
    FROM (SELECT DISTINCT ON (${unique ? sql`value` : sql`contact_id`}) contact_id, value FROM (VALUES ${values}) AS raw(contact_id, value)) AS v
    WHERE c.id = v.contact_id AND c.${target} IS NULL
      ${unique ? sql`AND NOT EXISTS (SELECT 1 FROM contacts other WHERE other.${target} = v.value)` : sql``}
  `.execute(db);
}
