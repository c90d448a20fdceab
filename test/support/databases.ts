/**
 * One test body, two engines: `forEachEngine` runs a suite on the embedded engine always and on
 * PostgreSQL when `TEST_DATABASE_URL` is set. Each suite gets its own fresh, migrated database:
 * an in-memory PGlite loaded from a migrated template tarball (initdb runs once per migration
 * set, not per test), or a server database cloned from a migrated template database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { connect, type DatabaseHandle, type Engine } from '../../src/db/connection.js';
import { migrateUp } from '../../src/db/migrator.js';
import { silentLogger } from '../../src/shared/logger.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const migrationsDir = join(root, 'src', 'db', 'migrations');

export const serverUrl = process.env['TEST_DATABASE_URL'] || undefined;
export const engines: readonly Engine[] = serverUrl ? ['embedded', 'server'] : ['embedded'];

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) hash.update(file).update(readFileSync(join(migrationsDir, file)));
  return hash.digest('hex').slice(0, 16);
}

async function embeddedTemplate(): Promise<Blob> {
  const dir = join(root, '.tmp', 'test-templates');
  const file = join(dir, `embedded-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const handle = await connect({ logger: silentLogger() });
    await migrateUp(handle.db);
    const dump = await handle.closeWithDump();
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

async function serverTemplate(): Promise<string> {
  const name = `flowchat_tpl_${migrationsHash()}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await client.query(`CREATE DATABASE ${building}`);
    const handle = await connect({ databaseUrl: withDatabaseName(serverUrl ?? '', building), logger: silentLogger() });
    await migrateUp(handle.db);
    await handle.close();
    try {
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } catch {
      // Another test process finished the same template first.
      await client.query(`DROP DATABASE IF EXISTS ${building}`);
    }
    return name;
  } finally {
    await client.end();
  }
}

export interface TestDatabase extends DatabaseHandle {
  /** Server only: the URL of this suite's own database, for spawning FlowChat processes on it. */
  readonly url: string | undefined;
}

/** A fresh migrated database on `engine`; `close()` also drops a server database. */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'embedded') {
    const handle = await connect({ template: await embeddedTemplate(), logger: silentLogger() });
    return Object.assign(handle, { url: undefined });
  }
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const template = await serverTemplate();
  const name = `flowchat_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabaseName(serverUrl, name);
  const handle = await connect({ databaseUrl: url, logger: silentLogger() });
  const close = handle.close.bind(handle);
  return Object.assign(handle, {
    url,
    async close() {
      await close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

/** An empty server database (no migrations), for migration tests; undefined without a server. */
export async function openEmptyServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `flowchat_e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { url: withDatabaseName(serverUrl ?? '', name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface EngineSuite {
  readonly engine: Engine;
  /** The suite's database; set before the first test runs. */
  database: TestDatabase;
}

/**
 * Runs `body` once per engine, inside `describe("title [engine]")`, with a fresh database that
 * is opened before the suite's tests and closed after them.
 */
export function forEachEngine(title: string, body: (suite: EngineSuite) => void): void {
  for (const engine of engines) {
    describe(`${title} [${engine}]`, () => {
      const suite = { engine } as EngineSuite;
      before(async () => {
        suite.database = await openTestDatabase(engine);
      });
      body(suite);
      // Registered after the body's hooks, so apps a suite started are closed before their database.
      after(async () => {
        await suite.database?.close();
      });
    });
  }
}
