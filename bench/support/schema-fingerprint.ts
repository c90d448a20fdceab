/**
 * A hash of a database's schema as the catalog describes it (columns, indexes, constraints,
 * triggers, functions), so a generated data set is reused only while its schema is exactly the one
 * the current migrations produce, however the migration files themselves were edited.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../src/db/transaction.js';

export async function schemaFingerprint(db: Executor): Promise<string> {
  const result = await sql<{ line: string }>`
    SELECT line FROM (
      SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname NOT LIKE 'bench\_%'
      UNION ALL
      SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'bench\_%'
      UNION ALL
      SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'bench\_%'
      UNION ALL
      SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL
      SELECT 'function ' || proname || ' ' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    ) catalog ORDER BY line
  `.execute(db);
  const hash = createHash('sha256');
  for (const row of result.rows) hash.update(row.line).update('\n');
  return hash.digest('hex').slice(0, 24);
}
