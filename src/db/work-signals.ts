/**
 * Wake-ups from the code that commits work to this process's worker that does it (the media
 * worker, the outbound webhook dispatcher), sent only once the work has committed. They belong to
 * the database handle, so a worker hears the commits of its own database and no other app's in the
 * same process; other processes find the work when they next poll.
 */
import { EventEmitter } from 'node:events';
import { afterCommit, databaseOf, type Executor } from './transaction.js';

export type WorkKind = 'media' | 'webhook-deliveries';

const signals = new WeakMap<Executor, EventEmitter<Record<WorkKind, []>>>();

function signalsOf(db: Executor): EventEmitter<Record<WorkKind, []>> {
  const database = databaseOf(db);
  let emitter = signals.get(database);
  if (!emitter) {
    emitter = new EventEmitter<Record<WorkKind, []>>();
    emitter.setMaxListeners(0);
    signals.set(database, emitter);
  }
  return emitter;
}

/** Wakes this process's `kind` worker once the transaction `db` is in commits (outside one, now). */
export function signalWork(db: Executor, kind: WorkKind): void {
  afterCommit(db, () => signalsOf(db).emit(kind));
}

/** Calls `listener` after every commit on `db`'s database that signals `kind`; returns the unsubscribe. */
export function onWork(db: Executor, kind: WorkKind, listener: () => void): () => void {
  const emitter = signalsOf(db);
  emitter.on(kind, listener);
  return () => emitter.off(kind, listener);
}
