/**
 * Wake-ups from the code that commits work to this process's worker that does it (the media
 * worker, the outbound webhook dispatcher), sent only once the work has committed. They belong to
 * the database handle, so a worker hears the commits of its own database and no other app's in the
 * same process; other processes find the work when they next poll.
 */
import { EventEmitter } from 'node:events';
import { afterCommit, perDatabase, type Executor } from './transaction.js';

export type WorkKind = 'media' | 'webhook-deliveries';

const signalsOf = perDatabase(() => new EventEmitter<Record<WorkKind, []>>().setMaxListeners(0));

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
