/**
 * The database connection: a PostgreSQL server from `DATABASE_URL`, or the embedded PGlite engine
 * when it is unset. Either way, callers get the same Kysely instance and the same operations.
 */
import { Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from '../shared/logger.js';
import { MappedPostgresDialect } from './mapped-dialect.js';
import type { Database } from './schema.js';
import { transaction } from './transaction.js';
import type { Transaction } from 'kysely';

// Counts and identity columns arrive as int8; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Engine = 'embedded' | 'server';

export interface ConnectOptions {
  readonly databaseUrl?: string | undefined;
  /** Embedded engine only: a directory, or unset for an in-memory database. */
  readonly dataDir?: string | undefined;
  /** Embedded engine only: a migrated tarball to start from. */
  readonly template?: Blob | undefined;
  readonly pool?: { readonly max?: number; readonly idleTimeoutMillis?: number; readonly connectionTimeoutMillis?: number };
  readonly logger: Logger;
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  readonly pool: pg.Pool;
  /** The server URL, for connections that must live outside the pool (LISTEN). */
  readonly databaseUrl: string | undefined;
  healthCheck(timeoutMs?: number): Promise<boolean>;
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Embedded only: closes and returns the data directory as a tarball (test templates). */
  closeWithDump(): Promise<Blob>;
}

function watchPool(pool: pg.Pool, logger: Logger): void {
  pool.on('connect', (client) => {
    logger.debug('database connection opened');
    // A connection that dies while checked out emits 'error' on its client; unheard, it would
    // crash the process. The query it was running fails on its own and is mapped as usual.
    client.on('error', (error) => logger.warn({ err: { message: error.message } }, 'database connection lost'));
  });
  pool.on('remove', () => logger.debug('database connection removed from pool'));
  pool.on('error', (error) => logger.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'idle database connection failed'));
}

export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  const { logger } = options;
  let pool: pg.Pool;
  let engine: Engine;
  let closeEngine: () => Promise<void>;
  let dumpEngine: (() => Promise<Blob>) | undefined;
  if (options.databaseUrl) {
    engine = 'server';
    pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.pool?.max ?? 20,
      idleTimeoutMillis: options.pool?.idleTimeoutMillis ?? 30_000,
      connectionTimeoutMillis: options.pool?.connectionTimeoutMillis ?? 2_000,
    });
    closeEngine = () => pool.end();
  } else {
    engine = 'embedded';
    // Loaded only here: PGlite's modules cost a server-engine process some 10 MB it never uses.
    const { openEmbedded } = await import('./embedded.js');
    const embedded = await openEmbedded({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.template === undefined ? {} : { template: options.template }),
    });
    pool = embedded.pool;
    closeEngine = () => embedded.close();
    dumpEngine = () => embedded.closeWithDump();
  }
  watchPool(pool, logger);

  const db = new Kysely<Database>({
    dialect: new MappedPostgresDialect({ pool }),
    log(event) {
      // Query text and duration only: parameter values may be personal data or secrets.
      if (event.level === 'error') {
        logger.debug({ sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis) }, 'query failed');
      } else if (logger.isLevelEnabled('debug')) {
        logger.debug({ sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis) }, 'query');
      }
    },
  });

  let closed = false;
  return {
    db,
    engine,
    pool,
    databaseUrl: options.databaseUrl,
    async healthCheck(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('health check timed out')), timeoutMs);
        });
        await Promise.race([db.selectNoFrom((eb) => eb.lit(1).as('one')).execute(), timeout]);
        return true;
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'database health check failed');
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    transaction: (fn) => transaction(db, fn),
    async close() {
      if (closed) return;
      closed = true;
      // Kysely's destroy ends the pool; the embedded engine then closes PGlite and its lock.
      if (engine === 'server') await db.destroy();
      else await closeEngine();
      logger.debug('database closed');
    },
    async closeWithDump() {
      if (!dumpEngine) throw new Error('Only the embedded engine can be dumped');
      closed = true;
      return dumpEngine();
    },
  };
}
