/**
 * The inbox data set: contacts with Zipf-distributed tags and metadata, and two years of messages,
 * skewed as real inboxes are (most contacts have a handful, a few have thousands), with realistic
 * statuses and their status events. Generated inside PostgreSQL (INSERT … SELECT over
 * generate_series, no row travels through Node) with indexes built once after the load, and
 * reused by later runs while this generator, the sizes and the schema are unchanged.
 *
 * The contact counters (`message_count`, `unread_count`, `last_message_at`, `last_inbound_at`)
 * are computed from the generated messages in one aggregate and written with the contacts, and
 * `verifyCounters` checks them against the messages as the insert trigger defines them.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/connection.js';
import { migrateUp } from '../src/db/migrator.js';
import type { Database } from '../src/db/schema.js';
import type { Executor } from '../src/db/transaction.js';
import { createDatabase, databaseExists, dropDatabase, freshServerDatabase, openServer } from './bench-database.js';
import { databaseName, withDatabase, type DatasetSize } from './config.js';
import { dropIndexes, restoreIndexes } from './support/deferred-indexes.js';
import { schemaFingerprint } from './support/schema-fingerprint.js';

export interface Dataset {
  readonly handle: DatabaseHandle;
  readonly size: DatasetSize;
  /** False when an earlier run's data was reused. */
  readonly generated: boolean;
  /** Seconds the generation took (in the run that generated it). */
  readonly seconds: number;
}

const loadedTables = ['contacts', 'messages', 'message_status_events', 'message_search'] as const;

/** Bump when what `load` generates changes: a data set of another version is made anew. */
const GENERATOR_VERSION = 1;

/** What a data set was made from: the generator's version and sizes, and the schema's fingerprint. */
interface Provenance {
  readonly generator: string;
  readonly schema: string;
}

async function storedProvenance(handle: DatabaseHandle): Promise<{ provenance: Provenance; seconds: number } | undefined> {
  try {
    const result = await sql<{ provenance: Provenance; seconds: number }>`SELECT provenance, seconds FROM bench_dataset`.execute(handle.db);
    return result.rows[0];
  } catch {
    return undefined;
  }
}

async function recordProvenance(handle: DatabaseHandle, provenance: Provenance, seconds: number): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS bench_dataset (provenance JSONB NOT NULL, seconds INTEGER NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())`.execute(handle.db);
  await sql`DELETE FROM bench_dataset`.execute(handle.db);
  await sql`INSERT INTO bench_dataset (provenance, seconds) VALUES (${JSON.stringify(provenance)}::jsonb, ${seconds})`.execute(handle.db);
}

/** The schema the current migrations produce, from a scratch database beside `url`. */
async function currentSchema(url: string): Promise<string> {
  const scratch = withDatabase(url, `${databaseName(url)}_schema`);
  const handle = await freshServerDatabase(scratch);
  try {
    return await schemaFingerprint(handle.db);
  } finally {
    await handle.close();
    await dropDatabase(scratch);
  }
}

/**
 * The data set at `url` when it can serve: made by this generator at these sizes, and with the
 * current schema once the migrations added since are applied to it (as an upgrade would apply them
 * to a real installation). Undefined when it must be made anew.
 */
async function reusable(url: string, size: DatasetSize, generator: string, schema: string, log: (line: string) => void): Promise<Dataset | undefined> {
  if (!(await databaseExists(url))) return undefined;
  const handle = await openServer(url);
  const stored = await storedProvenance(handle);
  try {
    if (!stored || stored.provenance.generator !== generator) throw new Error('made by another generator or at other sizes');
    const applied = await migrateUp(handle.db);
    if (applied.length > 0) log(`applied the migrations added since the data set was made: ${applied.join(', ')}`);
    if ((await schemaFingerprint(handle.db)) !== schema) throw new Error('its schema differs from the current migrations');
    await recordProvenance(handle, { generator, schema }, stored.seconds);
    return { handle, size, generated: false, seconds: stored.seconds };
  } catch (error) {
    log(`the data set at ${databaseName(url)} cannot be reused (${(error as Error).message}); generating it again`);
    await handle.close();
    return undefined;
  }
}

/**
 * The search documents of the messages `hashtext(id) % parts = part`, as migration 20240405's
 * insert trigger (disabled during the load) writes them.
 */
async function loadSearchDocuments(db: Executor, part: number, parts: number): Promise<void> {
  await sql`
    INSERT INTO message_search (message_id, created_at, contact_id, channel_id, document)
    SELECT d.id, d.created_at, d.contact_id, d.channel_id, d.document
    FROM (SELECT id, created_at, contact_id, channel_id, to_tsvector('flowchat_search'::regconfig, content) AS document
          FROM messages WHERE content IS NOT NULL AND abs(hashtext(id::text) % ${parts}) = ${part}) d
    WHERE length(d.document) > 0
  `.execute(db);
}

const tagNames = [
  'customer', 'lead', 'vip', 'newsletter', 'support', 'wholesale', 'retail', 'returning', 'prospect', 'partner',
  'trial', 'churn-risk', 'black-friday', 'event-2024', 'referral', 'instagram', 'facebook', 'website', 'store-visit', 'b2b',
];
const cities = ['São Paulo', 'Recife', 'Lisbon', 'Mexico City', 'Bogotá', 'Lagos', 'Jakarta', 'Mumbai', 'Madrid', 'Porto', 'Manila', 'Nairobi', 'Lima', 'Santiago', 'Buenos Aires'];
const firstNames = ['Maria', 'João', 'Ana', 'Pedro', 'Lucas', 'Juliana', 'Carlos', 'Fernanda', 'Rafael', 'Camila', 'Diego', 'Sofia', 'Mateo', 'Valentina', 'Amaka', 'Chidi', 'Priya', 'Arjun', 'Siti', 'Budi', 'José', 'Lucía', 'Miguel', 'Isabela', 'Gabriel', 'Laura', 'Daniel', 'Paula', 'Thiago', 'Beatriz'];
const lastNames = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Rodrigues', 'Almeida', 'García', 'Martínez', 'López', 'Hernández', 'Okafor', 'Adeyemi', 'Sharma', 'Patel', 'Wijaya', 'Santoso', 'Reyes', 'Cruz', 'Ferreira', 'Gomes', 'Ribeiro', 'Carvalho', 'Torres'];
const inboundTexts = [
  'Hi! Is my order on its way?', 'What time do you open tomorrow?', 'Can I change the delivery address?', 'Thanks, received it',
  'Do you have this in a larger size?', 'How much is shipping to Recife?', 'I want to cancel my order', 'Ok', 'Perfect, thank you!',
  'Can you send me the invoice?', 'Is the promotion still valid?', 'My payment failed, can you help?', 'Where is the store?', 'Yes please',
];
const outboundTexts = [
  'Hello! How can we help you today?', 'Your order has shipped and arrives in 2 days.', 'We open at 9am.', 'Sure, I have updated the address.',
  'Here is your invoice.', 'Yes, the promotion runs until Sunday.', 'Could you try another card?', 'You are welcome!',
];

/** A SQL text[] literal of `values` (constants of this file, never input). */
function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')}]::text[]`;
}

/** A random element of a text[] literal. */
function pick(values: readonly string[], random = 'random()'): string {
  return `(${textArray(values)})[1 + floor(${random} * ${values.length})::int]`;
}

/** Zipf-like rank in 1..n: log-uniform, so rank k comes up about as often as 1/k. */
function zipfRank(n: number): string {
  return `least(${n}, floor(exp(random() * ln(${n + 1})))::int)`;
}

async function step(name: string, log: (line: string) => void, fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  log(`  ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/** Session settings for bulk work on one connection of a 2-core machine. */
async function tune(db: Executor): Promise<void> {
  await sql`SET work_mem = '1GB'`.execute(db);
  await sql`SET maintenance_work_mem = '1GB'`.execute(db);
  await sql`SET max_parallel_maintenance_workers = 0`.execute(db);
  await sql`SET synchronous_commit = off`.execute(db);
}

/** Runs `fn` on `count` pinned, tuned connections at once. */
async function onConnections(db: Kysely<Database>, count: number, fn: (connections: Executor[]) => Promise<void>): Promise<void> {
  const connections: Executor[] = [];
  const released: Array<() => void> = [];
  const held: Array<Promise<void>> = [];
  for (let index = 0; index < count; index += 1) {
    await new Promise<void>((ready, failed) => {
      held.push(
        db.connection().execute(async (connection) => {
          await tune(connection);
          connections.push(connection);
          ready();
          await new Promise<void>((release) => released.push(release));
        }).catch(failed),
      );
    });
  }
  try {
    await fn(connections);
  } finally {
    for (const release of released) release();
    await Promise.all(held);
  }
}

async function loadShared(db: Executor, size: DatasetSize): Promise<void> {
  const { contacts, messages, agents } = size;
  await sql`
    INSERT INTO users (email, password_hash, name, role)
    SELECT 'agent' || lpad(a::text, 2, '0') || '@bench.flowchat.test', 'no-password', 'Agent ' || a, 'agent' FROM generate_series(1, ${agents}::int) a
  `.execute(db);
  await sql.raw(`
    INSERT INTO campaigns (name, status, template, audience, started_at, finished_at, created_at, updated_at)
    SELECT 'Promotion ' || i, 'completed', jsonb_build_object('name', 'promo_' || i, 'language', 'en_US'),
           '{"tags": ["customer"], "match": "all", "metadata": {}}'::jsonb,
           now() - make_interval(days => 700 - i * 60), now() - make_interval(days => 699 - i * 60),
           now() - make_interval(days => 700 - i * 60), now() - make_interval(days => 699 - i * 60)
    FROM generate_series(1, 10) i
  `).execute(db);
  // One row per contact: its creation time, tag count, and how many messages its thread holds
  // (a truncated Pareto, scaled so the total is exactly `messages`; a fifth never wrote).
  await sql.raw(`
    CREATE UNLOGGED TABLE bench_plan AS
    SELECT g AS k, md5('contact:' || g)::uuid AS id,
           now() - interval '730 days' + interval '730 days' * ((g - 1 + random()) / ${contacts}) AS created_at,
           least(6, floor(-ln(1 - random()) * 1.5))::int AS tag_count,
           CASE WHEN random() < 0.2 THEN 0 ELSE least(20000, floor(power(1 - random(), -1 / 1.1)))::int END AS weight,
           0 AS n
    FROM generate_series(1, ${contacts}) g;
    UPDATE bench_plan SET n = floor(weight * ${messages}::numeric / (SELECT sum(weight) FROM bench_plan))::int;
    UPDATE bench_plan SET n = n + 1 WHERE k IN (
      SELECT k FROM bench_plan WHERE weight > 0 ORDER BY md5(k::text)
      LIMIT ${messages} - (SELECT sum(n) FROM bench_plan)
    );
    CREATE UNLOGGED TABLE bench_counters (contact_id UUID PRIMARY KEY, total INTEGER, unread INTEGER, last_at TIMESTAMPTZ, last_inbound TIMESTAMPTZ);
  `).execute(db);
}

/**
 * The messages of the contacts `k % parts = part`, in time order as an inbox fills (a thread's
 * messages land on many heap pages, not one), their status events, and their contacts' counters,
 * in one statement. The first message of every fourth contact came from one of the campaigns.
 */
async function loadMessages(db: Executor, size: DatasetSize, part: number, parts: number): Promise<void> {
  await sql.raw(`
    WITH campaign AS (SELECT array_agg(id ORDER BY created_at) AS ids FROM campaigns),
    agent AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE role = 'agent'),
    inserted AS (
      INSERT INTO messages (id, contact_id, direction, type, status, content, template, campaign_id, from_user_id, external_id,
                            sent_at, delivered_at, read_at, failed_at, error_code, error_title, error_message, created_at, updated_at)
      SELECT gen_random_uuid(), s.contact_id, s.direction,
             CASE WHEN s.campaign THEN 'template' WHEN s.r3 < 0.05 THEN 'image' ELSE 'text' END,
             s.status,
             CASE WHEN s.campaign THEN NULL
                  WHEN s.direction = 'inbound' THEN ${pick(inboundTexts, 's.r3')}
                  ELSE ${pick(outboundTexts, 's.r3')} END,
             CASE WHEN s.campaign THEN jsonb_build_object('name', 'promo_' || (1 + s.k % 10), 'language', 'en_US') END,
             CASE WHEN s.campaign THEN (SELECT ids FROM campaign)[1 + (s.k / 4) % 10] END,
             CASE WHEN s.direction = 'outbound' AND NOT s.campaign THEN (SELECT ids FROM agent)[1 + s.k % ${size.agents}] END,
             'wamid.bench.' || s.k || '.' || s.j,
             CASE WHEN s.status IN ('sent', 'delivered', 'read') AND s.direction = 'outbound' THEN s.ts + interval '1 second' END,
             CASE WHEN s.status IN ('delivered', 'read') AND s.direction = 'outbound' THEN s.ts + interval '4 seconds' END,
             CASE WHEN s.status = 'read' THEN s.ts + interval '90 seconds' END,
             CASE WHEN s.status = 'failed' THEN s.ts + interval '2 seconds' END,
             CASE WHEN s.status = 'failed' THEN '131026' END,
             CASE WHEN s.status = 'failed' THEN 'Message undeliverable' END,
             CASE WHEN s.status = 'failed' THEN 'The recipient is not on WhatsApp or has not accepted the terms' END,
             s.ts,
             CASE WHEN s.status = 'read' THEN s.ts + interval '90 seconds' WHEN s.status = 'received' THEN s.ts ELSE s.ts + interval '4 seconds' END
      FROM (
        SELECT d.*,
               CASE WHEN d.direction = 'inbound' THEN
                      CASE WHEN d.j > d.n - 3 AND d.k % 10 >= 4 AND d.r2 < 0.5 THEN 'received' ELSE 'read' END
                    WHEN d.ts > now() - interval '2 minutes' THEN 'sent'
                    WHEN d.r2 < 0.04 THEN 'failed'
                    WHEN d.r2 < 0.10 THEN 'sent'
                    WHEN d.r2 < 0.30 THEN 'delivered'
                    ELSE 'read' END AS status
        FROM (
          SELECT t.*, (t.j = 1 AND t.k % 4 = 0) AS campaign,
                 CASE WHEN t.j = 1 AND t.k % 4 = 0 THEN 'outbound' WHEN random() < 0.5 THEN 'inbound' ELSE 'outbound' END AS direction,
                 random() AS r2, random() AS r3
          FROM (
            SELECT p.k, p.id AS contact_id, p.n, j, p.created_at + (now() - p.created_at) * ((j - 1 + random()) / p.n) AS ts
            FROM bench_plan p, generate_series(1, p.n) j
            WHERE p.k % ${parts} = ${part}
            ORDER BY ts
          ) t
        ) d
      ) s
      RETURNING id, contact_id, external_id, direction, status, created_at, sent_at, delivered_at, read_at, failed_at
    ),
    events AS (
      INSERT INTO message_status_events (message_id, external_id, status, occurred_at, created_at)
      SELECT i.id, i.external_id, e.status, e.at, e.at
      FROM inserted i
      CROSS JOIN LATERAL (VALUES ('sent', i.sent_at), ('delivered', i.delivered_at), ('read', i.read_at), ('failed', i.failed_at)) AS e(status, at)
      WHERE i.direction = 'outbound' AND e.at IS NOT NULL
    )
    INSERT INTO bench_counters (contact_id, total, unread, last_at, last_inbound)
    SELECT contact_id, count(*), count(*) FILTER (WHERE direction = 'inbound' AND status = 'received'),
           max(created_at), max(created_at) FILTER (WHERE direction = 'inbound')
    FROM inserted GROUP BY contact_id
  `).execute(db);
}

/**
 * The contacts `k % parts = part` with their counters as the insert trigger keeps them (and the
 * campaign worker settles for campaign messages): every message counts, unread ones are inbound
 * and still `received`.
 */
async function loadContacts(db: Executor, size: DatasetSize, part: number, parts: number): Promise<void> {
  const tagCount = 300;
  await sql.raw(`
    WITH agent AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE role = 'agent')
    INSERT INTO contacts (id, phone, name, email, tags, metadata, wa_id, created_at, updated_at, assignee_id, conversation_status,
                          opted_out_at, opted_out_source, message_count, unread_count, last_message_at, last_inbound_at)
    SELECT p.id, '+' || p.digits,
           CASE WHEN p.named THEN p.first_name || ' ' || p.last_name END,
           CASE WHEN p.named AND p.r1 < 0.6 THEN lower(translate(p.first_name || '.' || p.last_name, 'ãáéíóúçñ', 'aaeioucn')) || p.k || '@example.com' END,
           ARRAY(SELECT DISTINCT CASE WHEN t.rank <= ${tagNames.length} THEN (${textArray(tagNames)})[t.rank] ELSE 'segment-' || t.rank END
                 FROM (SELECT ${zipfRank(tagCount)} AS rank FROM generate_series(1, p.tag_count)) t),
           jsonb_build_object('city', (${textArray(cities)})[${zipfRank(cities.length)}], 'plan', ${pick(['free', 'basic', 'gold', 'platinum'])},
                              'source', ${pick(['import', 'whatsapp', 'website', 'referral'])})
             || CASE WHEN p.r1 < 0.3 THEN jsonb_build_object('customer_id', 'C' || p.k) ELSE '{}'::jsonb END,
           CASE WHEN c.last_inbound IS NOT NULL THEN p.digits END,
           p.created_at, greatest(p.created_at, c.last_at),
           CASE WHEN p.k % 10 < 7 THEN (SELECT ids FROM agent)[1 + (p.k::bigint * 7919) % ${size.agents}] END,
           CASE WHEN p.k % 10 < 4 THEN 'closed' ELSE 'open' END,
           CASE WHEN p.r1 > 0.98 THEN p.created_at + interval '1 day' END,
           CASE WHEN p.r1 > 0.98 THEN 'keyword' END,
           coalesce(c.total, 0), coalesce(c.unread, 0), c.last_at, c.last_inbound
    FROM (
      SELECT bench_plan.*, random() < 0.92 AS named, random() AS r1, ${pick(firstNames)} AS first_name, ${pick(lastNames)} AS last_name,
             -- Numbers unrelated to the order contacts came in (k * 7919 mod 9 000 000 is a permutation).
             '1' || (2010000000 + (k::bigint * 7919) % 9000000) AS digits
      FROM bench_plan WHERE k % ${parts} = ${part}
    ) p
    LEFT JOIN bench_counters c ON c.contact_id = p.id
    ORDER BY p.k
  `).execute(db);
}

/** Contacts whose counters differ from their messages; 0 when generation is right. */
export async function verifyCounters(db: Executor): Promise<number> {
  const result = await sql<{ wrong: number }>`
    SELECT count(*)::int AS wrong
    FROM contacts c
    LEFT JOIN (
      SELECT contact_id, count(*)::int AS total,
             count(*) FILTER (WHERE direction = 'inbound' AND status = 'received')::int AS unread,
             max(created_at) AS last_at, max(created_at) FILTER (WHERE direction = 'inbound') AS last_inbound
      FROM messages GROUP BY contact_id
    ) m ON m.contact_id = c.id
    WHERE c.message_count <> coalesce(m.total, 0) OR c.unread_count <> coalesce(m.unread, 0)
       OR c.last_message_at IS DISTINCT FROM m.last_at OR c.last_inbound_at IS DISTINCT FROM m.last_inbound
  `.execute(db);
  return result.rows[0]?.wrong ?? -1;
}

/**
 * The data set at `url` for `size`: reused when an earlier run made it with this generator, at
 * these sizes and (after applying newer migrations) with the current schema; otherwise dropped and
 * generated again.
 */
export async function ensureDataset(url: string, size: DatasetSize, log: (line: string) => void): Promise<Dataset> {
  const generator = JSON.stringify({ version: GENERATOR_VERSION, size });
  const schema = await currentSchema(url);
  const reused = await reusable(url, size, generator, schema, log);
  if (reused) return reused;
  await dropDatabase(url);
  log(`generating ${size.contacts} contacts and ${size.messages} messages into ${new URL(url).pathname.slice(1)}`);
  const started = performance.now();
  await createDatabase(url);
  const handle = await openServer(url);
  await migrateUp(handle.db);
  const parts = 2;
  await onConnections(handle.db, parts, async ([first, ...others]) => {
    if (!first) return;
    const connections = [first, ...others];
    const deferred = await dropIndexes(first, loadedTables);
    // The counters trigger would aggregate the whole load again; the load writes the counters itself.
    await sql`ALTER TABLE messages DISABLE TRIGGER USER`.execute(first);
    await step('agents, campaigns, the contact plan', log, () => loadShared(first, size));
    await step(`${size.messages} messages and their status events`, log, () =>
      Promise.all(connections.map((db, part) => loadMessages(db, size, part, parts))),
    );
    await step(`${size.contacts} contacts with their counters`, log, () =>
      Promise.all(connections.map((db, part) => loadContacts(db, size, part, parts))),
    );
    await step('message search documents', log, () =>
      Promise.all(connections.map((db, part) => loadSearchDocuments(db, part, parts))),
    );
    await sql`UPDATE campaigns c SET total = n.total FROM (SELECT campaign_id, count(*)::int AS total FROM messages WHERE campaign_id IS NOT NULL GROUP BY campaign_id) n WHERE c.id = n.campaign_id`.execute(first);
    await sql`DROP TABLE bench_plan, bench_counters`.execute(first);
    await sql`ALTER TABLE messages ENABLE TRIGGER USER`.execute(first);
    await step('keys, indexes and foreign keys', log, () =>
      restoreIndexes(connections, deferred, (name, ms) => ms >= 5_000 && log(`    ${name} (${(ms / 1000).toFixed(1)} s)`)),
    );
    const tables = ['messages', 'message_status_events', 'contacts', 'message_search', 'users', 'campaigns'];
    await step('vacuum and analyze', log, () =>
      Promise.all(connections.map(async (db) => {
        for (let table = tables.shift(); table !== undefined; table = tables.shift()) await sql.raw(`VACUUM (ANALYZE) ${table}`).execute(db);
      })),
    );
    const wrong = await verifyCounters(first);
    if (wrong !== 0) throw new Error(`${wrong} contacts have counters that differ from their messages`);
  });
  const seconds = Math.round((performance.now() - started) / 1000);
  await recordProvenance(handle, { generator, schema }, seconds);
  log(`  generated in ${seconds} s; counters verified`);
  return { handle, size, generated: true, seconds };
}
