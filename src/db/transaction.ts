/**
 * Transactions with nested savepoints. Savepoint names are generated here, never taken from a
 * caller (the seed interpolated a caller's name into SQL). Work that must happen only once the
 * outermost transaction has committed (publishing an event, waking a worker) is queued with
 * `afterCommit` and dropped on rollback.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Executor = Kysely<Database>;

const pendingAfterCommit = new WeakMap<object, Array<() => void>>();
let savepointCounter = 0;

/**
 * Runs `fn` in a transaction; inside one already, in a savepoint that rolls back alone.
 *
 * @example
 * await transaction(db, async (trx) => {
 *   await contacts.create(trx, { phone: '+14155550123' });
 * });
 */
export async function transaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) {
    const trx = db as Transaction<Database>;
    savepointCounter = (savepointCounter + 1) % Number.MAX_SAFE_INTEGER;
    const name = `flowchat_sp_${savepointCounter}`;
    await sql`SAVEPOINT ${sql.id(name)}`.execute(trx);
    try {
      const result = await fn(trx);
      await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(trx);
      return result;
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(trx);
      throw error;
    }
  }
  let callbacks: Array<() => void> = [];
  const result = await db.transaction().execute(async (trx) => {
    callbacks = [];
    pendingAfterCommit.set(trx, callbacks);
    return fn(trx);
  });
  for (const callback of callbacks) callback();
  return result;
}

/** Runs `callback` once the outermost transaction commits; outside a transaction, right away. */
export function afterCommit(db: Executor, callback: () => void): void {
  const callbacks = db.isTransaction ? pendingAfterCommit.get(db) : undefined;
  if (callbacks) callbacks.push(callback);
  else callback();
}
