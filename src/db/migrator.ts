/**
 * Migrations: the TypeScript files in `migrations/`, named by version, applied by Kysely's
 * `Migrator`, which holds an advisory lock so two processes migrating at once both succeed and
 * each migration runs once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, NO_MIGRATIONS, type Kysely, type MigrationResultSet } from 'kysely';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationStatus {
  readonly version: string;
  readonly applied: boolean;
}

export class MigrationError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
  }
}

function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db: db as unknown as Kysely<unknown>, provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }) });
}

function settle(result: MigrationResultSet): string[] {
  const failed = result.results?.find((migration) => migration.status === 'Error');
  if (result.error !== undefined) {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '), result.error);
  }
  return (result.results ?? []).map((migration) => migration.migrationName);
}

/** Applies every pending migration; returns the versions applied now. */
export async function migrateUp<DB>(db: Kysely<DB>): Promise<string[]> {
  return settle(await migrator(db).migrateToLatest());
}

/** Rolls back one migration, or down to `version` (`0` rolls back everything). */
export async function migrateDown<DB>(db: Kysely<DB>, version?: string): Promise<string[]> {
  const m = migrator(db);
  if (version === undefined) return settle(await m.migrateDown());
  if (version === '0') return settle(await m.migrateTo(NO_MIGRATIONS));
  const known = await m.getMigrations();
  if (!known.some((migration) => migration.name === version)) throw new MigrationError(`Unknown migration version ${version}`);
  return settle(await m.migrateTo(version));
}

export async function migrationStatus<DB>(db: Kysely<DB>): Promise<MigrationStatus[]> {
  const known = await migrator(db).getMigrations();
  return known.map((migration) => ({ version: migration.name, applied: migration.executedAt !== undefined }));
}
