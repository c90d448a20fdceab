import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/transaction.js';
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

    const record = (order: string): Promise<void> => transaction(database.db, (trx) => recordEvent(trx, 'contact.updated', { order }));
    const orderOf = (event: StreamEvent): unknown => (event.data as { order?: unknown }).order;

    /** Runs `body` with a ready hub and the list of events it has published so far. */
    async function withHub(body: (seen: StreamEvent[]) => Promise<void>): Promise<void> {
      const hub = new EventHub(database, silentLogger());
      const seen: StreamEvent[] = [];
      hub.subscribe((event) => seen.push(event));
      await hub.ready();
      try {
        await body(seen);
      } finally {
        await hub.close();
      }
    }

    it('delivers the events committed while the connection was down, once each and in id order, then live ones', () =>
      withHub(async (seen) => {
        await record('before');
        await eventually('the first event live', () => seen.some((event) => orderOf(event) === 'before'));

        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`.execute(database.db);
        for (const order of ['down 1', 'down 2', 'down 3']) await record(order);
        await eventually('the events of the outage', () => seen.some((event) => orderOf(event) === 'down 3'));
        await record('after');
        await eventually('a live event after the reconnection', () => seen.some((event) => orderOf(event) === 'after'));

        assert.deepEqual(seen.map(orderOf), ['before', 'down 1', 'down 2', 'down 3', 'after']);
        const ids = seen.map((event) => event.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      }));

    it('delivers an event larger than a notification could carry, whole and in its place among the others', () =>
      withHub(async (seen) => {
        await record('small 1');
        await transaction(database.db, (trx) => recordEvent(trx, 'contact.updated', { order: 'large', padding: 'x'.repeat(10_000) }));
        await record('small 2');
        await eventually('the last event', () => seen.some((event) => orderOf(event) === 'small 2'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(seen.map(orderOf), ['small 1', 'large', 'small 2']);
        assert.equal((seen[1]?.data as { padding?: string }).padding?.length, 10_000);
      }));

    it('starts from the end of the log: a new hub does not replay older events', async () => {
      await record('old');
      await withHub(async (seen) => {
        await record('new');
        await eventually('the new event', () => seen.some((event) => orderOf(event) === 'new'));
        assert.deepEqual(seen.map(orderOf), ['new']);
      });
    });
  });
}
