import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ContactRepository } from '../../src/db/repositories/contact.repository.js';
import { afterCommit, transaction, type Executor } from '../../src/db/transaction.js';
import { eventRecording, recordEvent, recordEvents, type EventHook, type RecordedEvent } from '../../src/events/record-event.js';
import { forEachEngine, openTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';

/** The events of one test, by its `test` marker, in id order. */
async function recorded(db: Executor, test: string): Promise<Array<{ id: number; type: string; step: unknown }>> {
  const rows = await db.selectFrom('events').select(['id', 'type', 'data']).where(sql<boolean>`data->>'test' = ${test}`).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, type: row.type, step: (row.data as { step?: unknown }).step }));
}

/** Runs `body` while collecting the steps that `db`'s committed events announce for the `test` marker. */
async function listening(db: Executor, test: string, body: (heard: unknown[]) => Promise<void>): Promise<void> {
  const heard: unknown[] = [];
  const listener = (event: RecordedEvent): void => {
    const data = event.data as { test?: unknown; step?: unknown };
    if (data.test === test) heard.push(data.step);
  };
  const { committed } = eventRecording(db);
  committed.on('recorded', listener);
  try {
    await body(heard);
  } finally {
    committed.off('recorded', listener);
  }
}

// A hook sees the events of a transaction that marks them `hooked`, inside that transaction.
const hooked: Array<{ inTransaction: boolean; ids: number[]; visible: number }> = [];
const hookedHook: EventHook = async (db, events) => {
  const mine = events.filter((event) => (event.data as { test?: unknown }).test === 'hooked');
  if (mine.length === 0) return;
  const visible = await db.selectFrom('events').select('id').where('id', 'in', mine.map((event) => event.id)).execute();
  hooked.push({ inTransaction: db.isTransaction, ids: mine.map((event) => event.id), visible: visible.length });
  if (mine.some((event) => (event.data as { fail?: unknown }).fail === true)) throw new Error('hook failed');
};

forEachEngine('recording events', (suite) => {
  it('inserts the events of a transaction when it commits, in the order recorded, and announces them after', () =>
    listening(suite.database.db, 'commit', async (heard) => {
      const db = suite.database.db;
      await transaction(db, async (trx) => {
        await recordEvent(trx, 'contact.updated', { test: 'commit', step: 1 });
        await recordEvents(trx, 'message.created', [
          { test: 'commit', step: 2 },
          { test: 'commit', step: 3 },
        ]);
        await recordEvents(trx, 'message.updated', []);
        await recordEvent(trx, 'campaign.updated', { test: 'commit', step: 4 });
        assert.deepEqual(await recorded(trx, 'commit'), [], 'queued until the commit');
        assert.deepEqual(heard, []);
      });
      const rows = await recorded(db, 'commit');
      assert.deepEqual(
        rows.map((row) => [row.type, row.step]),
        [
          ['contact.updated', 1],
          ['message.created', 2],
          ['message.created', 3],
          ['campaign.updated', 4],
        ],
      );
      assert.deepEqual(heard, [1, 2, 3, 4]);
    }));

  it('drops the events of a savepoint that rolls back, and keeps the rest of the transaction', () =>
    listening(suite.database.db, 'savepoint', async (heard) => {
      const db = suite.database.db;
      await transaction(db, async (trx) => {
        await recordEvent(trx, 'contact.updated', { test: 'savepoint', step: 'outer before' });
        await assert.rejects(
          transaction(trx, async (inner) => {
            await recordEvent(inner, 'contact.updated', { test: 'savepoint', step: 'rolled back' });
            await transaction(inner, (innermost) => recordEvent(innermost, 'contact.updated', { test: 'savepoint', step: 'rolled back with its parent' }));
            throw new Error('roll back the savepoint');
          }),
          /roll back the savepoint/,
        );
        await transaction(trx, (inner) => recordEvent(inner, 'contact.updated', { test: 'savepoint', step: 'released' }));
        await recordEvent(trx, 'contact.updated', { test: 'savepoint', step: 'outer after' });
      });
      const steps = ['outer before', 'released', 'outer after'];
      assert.deepEqual((await recorded(db, 'savepoint')).map((row) => row.step), steps);
      assert.deepEqual(heard, steps);
    }));

  it('never records or announces the events of a transaction that rolls back', () =>
    listening(suite.database.db, 'rollback', async (heard) => {
      const db = suite.database.db;
      await assert.rejects(
        transaction(db, async (trx) => {
          await recordEvent(trx, 'contact.updated', { test: 'rollback', step: 1 });
          throw new Error('roll back');
        }),
        /roll back/,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(await recorded(db, 'rollback'), []);
      assert.deepEqual(heard, []);
    }));

  it('outside a transaction, records at once in a transaction of its own', () =>
    listening(suite.database.db, 'alone', async (heard) => {
      const db = suite.database.db;
      await recordEvents(db, 'contact.updated', [
        { test: 'alone', step: 1 },
        { test: 'alone', step: 2 },
      ]);
      assert.deepEqual((await recorded(db, 'alone')).map((row) => row.step), [1, 2]);
      assert.deepEqual(heard, [1, 2]);
    }));

  it('runs the hooks in the recording transaction, with the ids, and a failing hook rolls it all back', async () => {
    const db = suite.database.db;
    eventRecording(db).onRecorded(hookedHook);
    hooked.length = 0;
    await transaction(db, async (trx) => {
      await recordEvent(trx, 'contact.updated', { test: 'hooked', step: 1 });
      await recordEvent(trx, 'contact.updated', { test: 'hooked', step: 2 });
    });
    const rows = await recorded(db, 'hooked');
    assert.deepEqual(hooked, [{ inTransaction: true, ids: rows.map((row) => row.id), visible: 2 }], 'once, with both events');

    await assert.rejects(
      transaction(db, async (trx) => {
        await new ContactRepository(trx).create({ phone: '+15551000901', name: 'Rolled back with the hook' });
        await recordEvent(trx, 'contact.updated', { test: 'hooked', step: 3, fail: true });
      }),
      /hook failed/,
    );
    assert.equal((await recorded(db, 'hooked')).length, 2);
    assert.equal(await new ContactRepository(db).findByPhone('+15551000901'), undefined);
  });

  it('drops the afterCommit callbacks of a savepoint that rolls back', async () => {
    const ran: string[] = [];
    await transaction(suite.database.db, async (trx) => {
      afterCommit(trx, () => ran.push('outer'));
      await transaction(trx, async (inner) => {
        afterCommit(inner, () => ran.push('rolled back'));
        throw new Error('roll back the savepoint');
      }).catch(() => undefined);
      await transaction(trx, async (inner) => afterCommit(inner, () => ran.push('released')));
    });
    assert.deepEqual(ran, ['outer', 'released']);
  });
});

// Concurrent transactions need more than the embedded engine's one connection.
describe('recording events from concurrent transactions [server]', { skip: serverUrl === undefined }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase('server');
  });
  after(async () => {
    await database.close();
  });

  /** A transaction that runs `first`, then waits for `release()` before running `then` and committing. */
  function held(first: (trx: Executor) => Promise<void>, then: (trx: Executor) => Promise<void> = async () => undefined) {
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const mayGoOn = new Promise<void>((resolve) => (release = resolve));
    const ready = new Promise<void>((resolve) => (started = resolve));
    const done = transaction(database.db, async (trx) => {
      await first(trx);
      started();
      await mayGoOn;
      await then(trx);
    });
    return { ready, release, done };
  }

  it('gives ids in commit order: the transaction that recorded first but commits last gets the higher id', { timeout: 30_000 }, async () => {
    const first = held((trx) => recordEvent(trx, 'contact.updated', { test: 'order', step: 'recorded first, commits last' }));
    await first.ready;
    await transaction(database.db, (trx) => recordEvent(trx, 'contact.updated', { test: 'order', step: 'recorded second, commits first' }));
    first.release();
    await first.done;
    assert.deepEqual(
      (await recorded(database.db, 'order')).map((row) => row.step),
      ['recorded second, commits first', 'recorded first, commits last'],
    );
  });

  it('does not deadlock when a transaction that recorded an event then waits for a row another one holds while recording', { timeout: 30_000 }, async () => {
    const contact = await new ContactRepository(database.db).create({ phone: '+15551000902', name: 'Contended' });
    const touch = (trx: Executor, name: string) => trx.updateTable('contacts').set({ name }).where('id', '=', contact.id).execute();
    // The first records, then (after the second has locked the contact) updates the contact too.
    const first = held(
      (trx) => recordEvent(trx, 'contact.updated', { test: 'deadlock', step: 'first' }),
      async (trx) => {
        await touch(trx, 'First');
      },
    );
    await first.ready;
    const second = held(async (trx) => {
      await touch(trx, 'Second');
      await recordEvent(trx, 'contact.updated', { test: 'deadlock', step: 'second' });
    });
    await second.ready;
    first.release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    second.release();
    await Promise.all([first.done, second.done]);
    assert.deepEqual((await recorded(database.db, 'deadlock')).map((row) => row.step), ['second', 'first']);
    assert.equal((await new ContactRepository(database.db).findById(contact.id))?.name, 'First');
  });
});
