/**
 * Audiences: which contacts a campaign or a saved segment reaches. An audience is plain data (it
 * is stored with segments and campaigns) and becomes one parameterised SQL condition on the
 * contacts table. Metadata keys come from users, so they travel as bound parameters
 * (`c.metadata ->> $1`), never as identifiers or SQL text.
 *
 * Opted-out contacts, and contacts without a phone number (WhatsApp users known only by a
 * username, who cannot be sent a template), are always left out.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { JsonObject, JsonValue } from '../db/schema.js';
import { invalidField } from '../shared/errors.js';
import { normalizeTags } from '../contacts/contact-rules.js';

export type MetadataScalar = string | number | boolean;

/**
 * One metadata filter: a value (equals, compared as text so `30` matches `"30"`), a list (equals
 * one of them), or `{"exists": true|false}` (the key is present with a non-null value, or not).
 */
export type MetadataCondition = MetadataScalar | readonly MetadataScalar[] | { readonly exists: boolean };

export interface Audience {
  readonly tags: readonly string[];
  readonly match: 'all' | 'any';
  readonly metadata: Readonly<Record<string, MetadataCondition>>;
  /** Only contacts whose last inbound message is at most this many days old. */
  readonly last_inbound_within_days?: number;
}

/** An audience as a client sends it: everything optional. */
export interface AudienceInput {
  readonly tags?: readonly string[];
  readonly match?: 'all' | 'any';
  readonly metadata?: Readonly<Record<string, MetadataCondition>>;
  readonly last_inbound_within_days?: number;
}

const MAX_METADATA_FILTERS = 20;
const MAX_METADATA_KEY_LENGTH = 100;

function isExists(condition: MetadataCondition): condition is { readonly exists: boolean } {
  return typeof condition === 'object' && !Array.isArray(condition);
}

/** Checks and normalises an audience (tags as contacts store them: trimmed, lowercased, unique). */
export function normalizeAudience(input: AudienceInput, field = 'audience'): Audience {
  const metadata = input.metadata ?? {};
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_FILTERS) throw invalidField(`${field}.metadata`, `at most ${MAX_METADATA_FILTERS} keys, got ${keys.length}`);
  for (const key of keys) {
    if (key.trim() === '' || key.length > MAX_METADATA_KEY_LENGTH) {
      throw invalidField(`${field}.metadata`, `keys have 1 to ${MAX_METADATA_KEY_LENGTH} characters`);
    }
  }
  return {
    tags: normalizeTags(input.tags ?? [], `${field}.tags`),
    match: input.match ?? 'all',
    metadata,
    ...(input.last_inbound_within_days === undefined ? {} : { last_inbound_within_days: input.last_inbound_within_days }),
  };
}

/** Reads back an audience stored as JSON (a segment's filter). */
export function audienceFromJson(value: JsonObject): Audience {
  return normalizeAudience(value as unknown as AudienceInput);
}

export function audienceToJson(audience: Audience): JsonObject {
  return audience as unknown as { [key: string]: JsonValue };
}

function metadataCondition(alias: string, key: string, condition: MetadataCondition): RawBuilder<SqlBool> {
  const value = sql`${sql.ref(`${alias}.metadata`)} -> ${key}::text`;
  const text = sql`${sql.ref(`${alias}.metadata`)} ->> ${key}::text`;
  if (isExists(condition)) {
    const present = sql<SqlBool>`coalesce(jsonb_typeof(${value}), 'null') <> 'null'`;
    return condition.exists ? present : sql<SqlBool>`NOT (${present})`;
  }
  if (Array.isArray(condition)) return sql<SqlBool>`${text} = ANY(${condition.map(String)}::text[])`;
  return sql<SqlBool>`${text} = ${String(condition)}::text`;
}

/**
 * The SQL condition selecting `audience` from contacts aliased `alias`.
 *
 * @example
 * sql`SELECT c.id FROM contacts c WHERE ${audienceCondition(audience)}`
 */
export function audienceCondition(audience: Audience, alias = 'c'): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`${column('opted_out_at')} IS NULL`,
    sql<SqlBool>`${column('phone')} IS NOT NULL`,
  ];
  if (audience.tags.length > 0) {
    const operator = sql.raw(audience.match === 'any' ? '&&' : '@>');
    conditions.push(sql<SqlBool>`${column('tags')} ${operator} ${[...audience.tags]}::text[]`);
  }
  for (const [key, condition] of Object.entries(audience.metadata)) conditions.push(metadataCondition(alias, key, condition));
  if (audience.last_inbound_within_days !== undefined) {
    conditions.push(sql<SqlBool>`${column('last_inbound_at')} >= now() - make_interval(days => ${audience.last_inbound_within_days}::int)`);
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}
