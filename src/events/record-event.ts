/**
 * Records an event in the same transaction as the change that caused it, so no committed change
 * goes unannounced and no rolled-back one is announced. Listeners hear of it after the commit.
 *
 * Event ids follow commit order, so "every event with an id above N" is exactly "every event
 * committed after N" (what `Last-Event-ID` and the live stream's catch-up ask for). Ids come from a
 * sequence when a row is inserted but become visible when its transaction commits, so the events
 * of a transaction are queued and inserted right before its COMMIT (`beforeCommit`), in one
 * statement, under a transaction-scoped advisory lock that no other transaction can take until this
 * one has committed or rolled back: no lower id can become visible after a higher one. The lock is
 * taken at commit rather than at the first event so that it is never held while waiting for a row
 * lock (which would deadlock against a transaction holding that row and waiting for this lock), and
 * briefly: one INSERT, the hooks, COMMIT. (On the embedded engine transactions are serial anyway;
 * the lock costs nothing there.)
 */
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { afterCommit, beforeCommit, perDatabase, type Executor } from '../db/transaction.js';
import type { JsonValue } from '../db/schema.js';
import type { EventType } from './event-types.js';

export interface RecordedEvent {
  readonly id: number;
  readonly type: EventType;
  readonly data: JsonValue;
}

/**
 * Hooks run inside the recording transaction, right before it commits (outbound webhook
 * deliveries add their rows here), once per transaction with all its events, ids known.
 */
export type EventHook = (db: Executor, events: readonly RecordedEvent[]) => Promise<void>;

/**
 * One database's hooks, and its in-process notifications of committed events (the stream fans
 * them out further). They belong to the database handle, not to this module, so two FlowChat apps
 * in one process (tests, benchmarks) never run each other's hooks nor hear each other's events.
 */
export class EventRecording {
  private readonly hooks: EventHook[] = [];
  readonly committed = new EventEmitter<{ recorded: [RecordedEvent] }>();

  constructor() {
    this.committed.setMaxListeners(0);
  }

  /** Runs `hook` in every transaction that records events on this database from now on (idempotent). */
  onRecorded(hook: EventHook): void {
    if (!this.hooks.includes(hook)) this.hooks.push(hook);
  }

  async runHooks(db: Executor, events: readonly RecordedEvent[]): Promise<void> {
    for (const hook of this.hooks) await hook(db, events);
  }
}

/** The hooks and listeners of the database `db` belongs to. */
export const eventRecording: (db: Executor) => EventRecording = perDatabase(() => new EventRecording());

// An arbitrary constant naming the event-id lock among PostgreSQL advisory locks.
const EVENT_IDS_LOCK_KEY = 7_316_240_317;

interface QueuedEvents {
  readonly type: EventType;
  readonly data: readonly JsonValue[];
}

export async function recordEvent(db: Executor, type: EventType, data: JsonValue): Promise<void> {
  await recordEvents(db, type, [data]);
}

/**
 * Records one event of `type` per item of `data`, in the order given, when the transaction commits
 * (outside one, in a transaction of its own). Its id is known to hooks and listeners only.
 */
export async function recordEvents(db: Executor, type: EventType, data: readonly JsonValue[]): Promise<void> {
  if (data.length === 0) return;
  await beforeCommit<QueuedEvents>(db, insertQueued, { type, data });
}

/** Inserts every event the committing transaction queued, in one statement and queue order. */
const insertQueued = async (trx: Executor, queued: QueuedEvents[]): Promise<void> => {
  const queue = queued.flatMap((batch) => batch.data.map((data) => ({ type: batch.type, data })));
  await sql`SELECT pg_advisory_xact_lock(${EVENT_IDS_LOCK_KEY}::bigint)`.execute(trx);
  // One JSON document (serialised natively) rather than a jsonb[] literal the driver would build
  // by escaping every event in JavaScript; the data is not read back, as it is already here.
  const rows = await trx
    .insertInto('events')
    .columns(['type', 'data'])
    .expression(sql`SELECT queued.event->>'type', queued.event->'data' FROM jsonb_array_elements(${JSON.stringify(queue)}::jsonb) WITH ORDINALITY AS queued(event, n) ORDER BY n`)
    .returning('id')
    .execute();
  // Ids are drawn in queue order.
  const ids = rows.map((row) => row.id).sort((a, b) => a - b);
  const events: RecordedEvent[] = queue.map((event, index) => {
    const id = ids[index];
    if (id === undefined) throw new Error('the events insert returned fewer rows than it was given');
    return { id, type: event.type, data: event.data };
  });
  const recording = eventRecording(trx);
  await recording.runHooks(trx, events);
  afterCommit(trx, () => {
    for (const event of events) recording.committed.emit('recorded', event);
  });
};
