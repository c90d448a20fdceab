/**
 * Bulk loading without index maintenance: drops the keys, foreign keys and indexes of some tables
 * (remembering their definitions from the catalog, so whatever the migrations made comes back
 * exactly), and restores them after the load. Building an index once over the loaded rows is many
 * times faster than inserting ten million random keys into it, and independent indexes build side
 * by side on several connections.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Executor } from '../../src/db/transaction.js';

interface KeyConstraint {
  readonly table: string;
  readonly name: string;
  readonly kind: 'PRIMARY KEY' | 'UNIQUE';
  /** The index backing the constraint, rebuilt like any other and then attached. */
  readonly index: string;
}

interface ForeignKey {
  readonly table: string;
  readonly name: string;
  readonly definition: string;
}

export interface DeferredIndexes {
  readonly keys: readonly KeyConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  /** Every index definition, the keys' included, largest table first. */
  readonly indexes: readonly string[];
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Drops the keys and indexes of `tables` and every foreign key pointing at them; returns how to rebuild them. */
export async function dropIndexes(db: Executor, tables: readonly string[]): Promise<DeferredIndexes> {
  const names = [...tables];
  const foreignKeys = await sql<ForeignKey>`
    SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'f' AND (conrelid::regclass::text = ANY(${names}::text[]) OR confrelid::regclass::text = ANY(${names}::text[]))
  `.execute(db);
  const keys = await sql<KeyConstraint>`
    SELECT conrelid::regclass::text AS "table", conname AS name,
           CASE contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END AS kind, pg_get_indexdef(conindid) AS index
    FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid::regclass::text = ANY(${names}::text[])
  `.execute(db);
  // Foreign keys first: they depend on the keys they reference.
  for (const constraint of [...foreignKeys.rows, ...keys.rows]) {
    await sql.raw(`ALTER TABLE ${constraint.table} DROP CONSTRAINT ${quoted(constraint.name)}`).execute(db);
  }
  const indexes = await sql<{ name: string; definition: string }>`
    SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
    FROM pg_index WHERE indrelid::regclass::text = ANY(${names}::text[])
  `.execute(db);
  for (const index of indexes.rows) await sql.raw(`DROP INDEX ${index.name}`).execute(db);
  const all = [...keys.rows.map((key) => key.index), ...indexes.rows.map((index) => index.definition)];
  const tableRank = (definition: string): number => names.findIndex((table) => definition.includes(` ON public.${table} `));
  return { keys: keys.rows, foreignKeys: foreignKeys.rows, indexes: all.sort((a, b) => tableRank(b) - tableRank(a)) };
}

/**
 * Rebuilds what `dropIndexes` dropped: the indexes on every connection of `connections` at once,
 * then the keys on their indexes, then the foreign keys (validated against the loaded rows);
 * `onBuilt` hears each one's name and milliseconds.
 */
export async function restoreIndexes(
  connections: readonly Executor[],
  deferred: DeferredIndexes,
  onBuilt: (name: string, ms: number) => void = () => undefined,
): Promise<void> {
  const [first] = connections;
  if (!first) throw new Error('no connection to build indexes on');
  const timed = async (db: Executor, name: string, statement: string): Promise<void> => {
    const started = performance.now();
    await sql.raw(statement).execute(db);
    onBuilt(name, performance.now() - started);
  };
  const queue = [...deferred.indexes];
  await Promise.all(connections.map(async (db) => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await timed(db, next.replace(/^CREATE (UNIQUE )?INDEX (\S+).*$/, '$2'), next);
    }
  }));
  for (const key of deferred.keys) {
    await sql.raw(`ALTER TABLE ${key.table} ADD CONSTRAINT ${quoted(key.name)} ${key.kind} USING INDEX ${quoted(key.name)}`).execute(first);
  }
  for (const foreign of deferred.foreignKeys) {
    await timed(first, foreign.name, `ALTER TABLE ${foreign.table} ADD CONSTRAINT ${quoted(foreign.name)} ${foreign.definition}`);
  }
}
