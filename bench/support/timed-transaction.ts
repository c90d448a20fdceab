/** Times `work` run in one transaction on a client of `pool`; rolls back and rethrows when it fails. */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/** Milliseconds from BEGIN to the end of COMMIT. */
export async function timedTransaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
    return performance.now() - started;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
