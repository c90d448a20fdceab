/**
 * The benchmark's databases: on the PostgreSQL server, created when missing, dropped and made fresh
 * for the write workloads; on the embedded engine, a fresh data directory. All are opened through
 * FlowChat's own connection module (same pool, same dialect as the server uses).
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { connect, type DatabaseHandle } from '../src/db/connection.js';
import { migrateUp } from '../src/db/migrator.js';
import { silentLogger } from '../src/shared/logger.js';
import { databaseName, withDatabase } from './config.js';

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Runs `fn` with a client of its own on `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a client of the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the target). */
function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withClient(withDatabase(url, 'postgres'), fn);
}

export async function databaseExists(url: string): Promise<boolean> {
  return onServer(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName(url)]);
    return (found.rowCount ?? 0) > 0;
  });
}

export async function createDatabase(url: string): Promise<void> {
  await onServer(url, (client) => client.query(`CREATE DATABASE ${quoted(databaseName(url))}`));
}

export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoted(databaseName(url))} WITH (FORCE)`));
}

/** Opens `url` with FlowChat's connection module. */
export function openServer(url: string): Promise<DatabaseHandle> {
  return connect({ databaseUrl: url, logger: silentLogger(), pool: { max: 10, connectionTimeoutMillis: 30_000 } });
}

/** A new, empty, migrated database at `url` (an older one of that name is dropped first). */
export async function freshServerDatabase(url: string): Promise<DatabaseHandle> {
  await dropDatabase(url);
  await createDatabase(url);
  const handle = await openServer(url);
  await migrateUp(handle.db);
  return handle;
}

/** A new, migrated embedded database in `dataDir` (whatever was there is removed). */
export async function freshEmbeddedDatabase(dataDir: string): Promise<DatabaseHandle> {
  rmSync(dataDir, { recursive: true, force: true });
  const handle = await connect({ dataDir, logger: silentLogger() });
  await migrateUp(handle.db);
  return handle;
}
