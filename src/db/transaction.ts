/**
 * Transactions with nested savepoints. Savepoint names are generated here, never taken from a
 * caller (the seed interpolated a caller's name into SQL). Two queues belong to the outermost
 * transaction: `beforeCommit` batches writes that must happen last, right before COMMIT (the event
 * log takes its ids there, so they follow commit order), and `afterCommit` holds work that must
 * happen only once it has committed (publishing an event, waking a worker). A rollback drops what
 * was queued in what it rolled back, savepoint or whole transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Executor = Kysely<Database>;

/** Writes a batch of queued items in the committing transaction. */
export type BeforeCommit<T> = (trx: Transaction<Database>, items: T[]) => Promise<void>;

interface Queued {
  readonly flush: BeforeCommit<never>;
  readonly item: unknown;
}

interface Pending {
  /** The database handle the transaction was begun on. */
  readonly root: Executor;
  readonly beforeCommit: Queued[];
  readonly afterCommit: Array<() => void>;
}

const pending = new WeakMap<object, Pending>();
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
    const queues = pending.get(trx);
    const queuedBefore = { beforeCommit: queues?.beforeCommit.length ?? 0, afterCommit: queues?.afterCommit.length ?? 0 };
    savepointCounter = (savepointCounter + 1) % Number.MAX_SAFE_INTEGER;
    const name = `flowchat_sp_${savepointCounter}`;
    await sql`SAVEPOINT ${sql.id(name)}`.execute(trx);
    try {
      const result = await fn(trx);
      await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(trx);
      return result;
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(trx);
      if (queues) {
        queues.beforeCommit.length = queuedBefore.beforeCommit;
        queues.afterCommit.length = queuedBefore.afterCommit;
      }
      throw error;
    }
  }
  const queues: Pending = { root: db, beforeCommit: [], afterCommit: [] };
  const result = await db.transaction().execute(async (trx) => {
    pending.set(trx, queues);
    const value = await fn(trx);
    await flushBeforeCommit(trx, queues.beforeCommit);
    return value;
  });
  for (const callback of queues.afterCommit) callback();
  return result;
}

/** Each flush once, with its items in the order queued (what a flush queues runs after). */
async function flushBeforeCommit(trx: Transaction<Database>, queue: Queued[]): Promise<void> {
  while (queue.length > 0) {
    const batches = new Map<BeforeCommit<never>, unknown[]>();
    for (const { flush, item } of queue.splice(0)) {
      const items = batches.get(flush);
      if (items) items.push(item);
      else batches.set(flush, [item]);
    }
    for (const [flush, items] of batches) await flush(trx, items as never[]);
  }
}

/**
 * Queues `item` for `flush`, which the outermost transaction runs once, right before its COMMIT,
 * with every item queued for it in order (one statement for the whole batch, at the last moment).
 * Outside a transaction, runs it in a transaction of its own.
 */
export async function beforeCommit<T>(db: Executor, flush: BeforeCommit<T>, item: T): Promise<void> {
  if (!db.isTransaction) return transaction(db, (trx) => beforeCommit(trx, flush, item));
  const queues = pending.get(db);
  if (!queues) throw new Error('beforeCommit needs a transaction begun with transaction()');
  queues.beforeCommit.push({ flush, item });
}

/** Runs `callback` once the outermost transaction commits; outside a transaction, right away. */
export function afterCommit(db: Executor, callback: () => void): void {
  const queues = db.isTransaction ? pending.get(db) : undefined;
  if (queues) queues.afterCommit.push(callback);
  else callback();
}

/**
 * The database handle `db` belongs to: itself, or the one its transaction was begun on. What is
 * kept per database (event hooks, wake-up signals) is keyed by it.
 */
export function databaseOf(db: Executor): Executor {
  if (!db.isTransaction) return db;
  const queues = pending.get(db);
  if (!queues) throw new Error('a transaction must be begun with transaction()');
  return queues.root;
}

/** One `T` per database handle, made on first use: what belongs to a database, reached from any executor on it. */
export function perDatabase<T>(create: () => T): (db: Executor) => T {
  const values = new WeakMap<Executor, T>();
  return (db) => {
    const database = databaseOf(db);
    let value = values.get(database);
    if (value === undefined) {
      value = create();
      values.set(database, value);
    }
    return value;
  };
}
