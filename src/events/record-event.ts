/**
 * Records an event in the same transaction as the change that caused it, so no committed change
 * goes unannounced and no rolled-back one is announced. Listeners hear of it after the commit.
 */
import { EventEmitter } from 'node:events';
import { afterCommit, type Executor } from '../db/transaction.js';
import type { JsonValue } from '../db/schema.js';
import type { EventType } from './event-types.js';

export interface RecordedEvent {
  readonly id: number;
  readonly type: EventType;
  readonly data: JsonValue;
  readonly created_at: Date;
}

/** In-process notifications of committed events (the stream fans them out further). */
export const localEvents = new EventEmitter<{ recorded: [RecordedEvent] }>();
localEvents.setMaxListeners(0);

/**
 * Hooks run inside the recording transaction (outbound webhook deliveries add their rows here),
 * once per batch, so recording many events costs a few statements, not a few per event.
 */
export type EventHook = (db: Executor, events: readonly RecordedEvent[]) => Promise<void>;
const hooks: EventHook[] = [];

export function onEventRecorded(hook: EventHook): void {
  if (!hooks.includes(hook)) hooks.push(hook);
}

export async function recordEvent(db: Executor, type: EventType, data: JsonValue): Promise<RecordedEvent> {
  const [event] = await recordEvents(db, type, [data]);
  if (!event) throw new Error('recording an event returned no row');
  return event;
}

/** Records one event of `type` per item of `data`, in one statement, in the order given. */
export async function recordEvents(db: Executor, type: EventType, data: readonly JsonValue[]): Promise<RecordedEvent[]> {
  if (data.length === 0) return [];
  const rows = await db
    .insertInto('events')
    .values(data.map((item) => ({ type, data: JSON.stringify(item) })))
    .returning(['id', 'data', 'created_at'])
    .execute();
  const events: RecordedEvent[] = rows
    .map((row) => ({ id: row.id, type, data: row.data, created_at: row.created_at }))
    .sort((a, b) => a.id - b.id);
  for (const hook of hooks) await hook(db, events);
  afterCommit(db, () => {
    for (const event of events) localEvents.emit('recorded', event);
  });
  return events;
}
