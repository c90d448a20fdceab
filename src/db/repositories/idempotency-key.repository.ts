/**
 * Idempotency keys for sends, per principal, kept 24 hours. Claiming a key inserts it; a second
 * request with the same key blocks on the primary key until the first commits, then finds it, so
 * concurrent repeats also see the first request's messages. An expired key is taken over.
 */
import { sql } from 'kysely';
import type { Executor } from '../transaction.js';

const IDEMPOTENCY_TTL_HOURS = 24;

export type KeyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'existing'; readonly requestHash: string; readonly messageIds: readonly string[] };

export class IdempotencyKeyRepository {
  constructor(private readonly db: Executor) {}

  async claim(scope: string, key: string, requestHash: string): Promise<KeyClaim> {
    const claimed = await this.db
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: requestHash })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet({ request_hash: requestHash, message_ids: null, created_at: sql`now()` })
          .where('idempotency_keys.created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`),
      )
      .returning('scope')
      .executeTakeFirst();
    if (claimed) return { kind: 'claimed' };
    const existing = await this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'message_ids'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return { kind: 'existing', requestHash: existing.request_hash, messageIds: existing.message_ids ?? [] };
  }

  async complete(scope: string, key: string, messageIds: readonly string[]): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ message_ids: sql<string[]>`${[...messageIds]}::uuid[]` })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  }

  async prune(): Promise<number> {
    const result = await this.db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
