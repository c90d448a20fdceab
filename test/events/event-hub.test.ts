import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { EventHub, type StreamEvent } from '../../src/events/event-hub.js';
import { recordEvent } from '../../src/events/record-event.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';

async function eventually(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// LISTEN/NOTIFY and its reconnection exist on a PostgreSQL server only.
if (serverUrl) {
  describe('live events after the LISTEN connection is lost [server]', () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase('server');
    });
    after(async () => {
      await database.close();
    });

    it('delivers an event that committed while the connection was down even when a later id was already seen', async () => {
      const hub = new EventHub(database, silentLogger());
      const seen: number[] = [];
      hub.subscribe((event: StreamEvent) => seen.push(event.id));
      await hub.ready();
      try {
        let commitFirst: () => void = () => undefined;
        const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
        let firstId = 0;
        const first = database.db.transaction().execute(async (trx) => {
          firstId = (await recordEvent(trx, 'contact.updated', { order: 'took its id first, commits last' })).id;
          await firstMayCommit;
        });
        await eventually('the first transaction to take its id', () => firstId > 0);
        const second = await database.db.transaction().execute((trx) => recordEvent(trx, 'contact.updated', { order: 'commits first' }));
        await eventually('the second event live', () => seen.includes(second.id));

        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`.execute(database.db);
        commitFirst();
        await first;
        await eventually('the first event after the reconnection', () => seen.includes(firstId));
        assert.equal(seen.filter((id) => id === second.id).length, 1, 'the second event is not repeated');
      } finally {
        await hub.close();
      }
    });
  });
}
