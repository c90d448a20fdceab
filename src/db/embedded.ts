/**
 * The one module that owns PGlite. Everything else reaches it through node-postgres (PGlite's own
 * `pg` adapter, a pool of one), so the same Kysely code runs on both engines; PGlite's native
 * query API is never used, because its transactions would interleave with the adapter's.
 */
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';

export interface EmbeddedOptions {
  /** A directory on disk, locked for this process; unset: in memory (tests). */
  readonly dataDir?: string;
  /** A tarball from `dumpEmbedded`, to start from an already migrated database. */
  readonly template?: Blob;
}

export interface EmbeddedEngine {
  readonly pool: pg.Pool;
  /** Closes the pool, then PGlite (which flushes to disk), then releases the lock. */
  close(): Promise<void>;
  /** Closes like `close`, returning the whole data directory as a tarball first. */
  closeWithDump(): Promise<Blob>;
}

export async function openEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedEngine> {
  const release = options.dataDir === undefined ? () => undefined : lockDataDir(options.dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.template === undefined ? {} : { loadDataDir: options.template }),
      extensions: { pg_trgm, unaccent },
    });
  } catch (error) {
    release();
    throw error;
  }
  const config = createPgConfig(pglite);
  // One connection: PGlite is a single session. Waiting callers queue; a long wait means a
  // query was issued outside the transaction that holds the connection, so fail rather than hang.
  const pool = new pg.Pool({ ...config, max: 1, idleTimeoutMillis: 0, connectionTimeoutMillis: 120_000 });
  let closed = false;
  return {
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await pglite.close();
      release();
    },
    async closeWithDump() {
      closed = true;
      await pool.end();
      const dump = await pglite.dumpDataDir('none');
      await pglite.close();
      release();
      return dump;
    },
  };
}
