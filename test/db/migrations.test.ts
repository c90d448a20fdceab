import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { connect } from '../../src/db/connection.js';
import { migrateDown, migrateUp, migrationStatus } from '../../src/db/migrator.js';
import { silentLogger } from '../../src/shared/logger.js';
import { engines, openEmptyServerDatabase } from '../support/databases.js';

async function tables(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely%' ORDER BY 1
  `.execute(db);
  return result.rows.map((row) => row.table_name);
}

for (const engine of engines) {
  describe(`migrations [${engine}]`, () => {
    it('apply, roll back to nothing and apply again, with status telling which are applied', async () => {
      const empty = engine === 'server' ? await openEmptyServerDatabase() : undefined;
      const handle = await connect({ databaseUrl: empty?.url, logger: silentLogger() });
      try {
        const applied = await migrateUp(handle.db);
        assert.ok(applied.includes('20240311') && applied.includes('20240312'));
        assert.ok((await migrationStatus(handle.db)).every((migration) => migration.applied));
        assert.deepEqual((await tables(handle.db)).filter((name) => ['users', 'contacts', 'messages', 'sessions'].includes(name)), ['contacts', 'messages', 'sessions', 'users']);

        await migrateDown(handle.db, '20240311');
        const afterOne = await migrationStatus(handle.db);
        assert.deepEqual(afterOne.filter((m) => m.applied).map((m) => m.version), ['20240311']);
        await migrateDown(handle.db, '0');
        assert.deepEqual(await tables(handle.db), []);
        assert.ok((await migrationStatus(handle.db)).every((migration) => !migration.applied));

        assert.deepEqual(await migrateUp(handle.db), applied);
        assert.deepEqual(await migrateUp(handle.db), []);
      } finally {
        await handle.close();
        await empty?.drop();
      }
    });

    if (engine === 'server') {
      it('two processes migrating at once both succeed, each migration applied once', async () => {
        const empty = await openEmptyServerDatabase();
        const first = await connect({ databaseUrl: empty.url, logger: silentLogger() });
        const second = await connect({ databaseUrl: empty.url, logger: silentLogger() });
        try {
          const [a, b] = await Promise.all([migrateUp(first.db), migrateUp(second.db)]);
          const all = [...a, ...b].sort();
          assert.deepEqual(all, [...new Set(all)].sort(), 'no migration ran twice');
          const statuses = await migrationStatus(first.db);
          assert.equal(all.length, statuses.length);
        } finally {
          await first.close();
          await second.close();
          await empty.drop();
        }
      });
    }
  });
}
