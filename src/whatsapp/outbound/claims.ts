/**
 * A sender's claimed messages: claiming a batch from the outbox, and putting back those certainly
 * not sent, retried while the database is down, so nothing claimed is stranded as in flight.
 */
import { OutboxRepository, type ClaimedMessage, type ClaimRef } from '../../db/repositories/outbox.repository.js';
import { transaction, type Executor } from '../../db/transaction.js';
import type { Logger } from '../../shared/logger.js';

export class Claims {
  /** Claimed messages on their way between the sender's lists (being admitted, slotted or recorded). */
  readonly inHand = new Set<string>();
  /** Claimed messages certainly not sent that could not be put back yet (the database was down). */
  private readonly toRelease = new Map<string, ClaimRef>();
  private readonly outbox: OutboxRepository;

  constructor(
    private readonly db: Executor,
    private readonly channelId: string,
    private readonly logger: Logger,
  ) {
    this.outbox = new OutboxRepository(db);
  }

  /** Ids this process holds or still has to put back: never reaped as unknown outcomes. */
  held(): string[] {
    return [...this.inHand, ...this.toRelease.keys()];
  }

  /**
   * Claims in a transaction of its own, keeping what the claim returned: when the commit goes
   * unanswered (the connection died), it may or may not have taken effect, so those messages are
   * put back (by their claim's stamp) once the database answers again, instead of being stranded
   * as in flight until the grace period fails them unsent.
   */
  async claim(limit: number): Promise<ClaimedMessage[]> {
    let claimed: ClaimedMessage[] = [];
    try {
      await transaction(this.db, async (trx) => {
        claimed = await new OutboxRepository(trx).claim(limit, this.channelId);
      });
      return claimed;
    } catch (error) {
      for (const message of claimed) this.toRelease.set(message.id, message);
      throw error;
    }
  }

  /** Puts claimed, unsent messages back in the queue; while the database is down the loop keeps trying. */
  async putBack(claims: readonly ClaimRef[]): Promise<void> {
    for (const claim of claims) this.toRelease.set(claim.id, claim);
    await this.releaseHeld();
  }

  async releaseHeld(): Promise<void> {
    if (this.toRelease.size === 0) return;
    // Taken out first, so two callers never release one message at once.
    const claims = [...this.toRelease.values()];
    this.toRelease.clear();
    for (const claim of claims) this.inHand.add(claim.id);
    try {
      await this.outbox.release(claims);
    } catch (error) {
      for (const claim of claims) this.toRelease.set(claim.id, claim);
      this.logger.warn({ err: error, count: claims.length }, 'claimed messages could not be put back in the queue yet; retrying');
    } finally {
      for (const claim of claims) this.inHand.delete(claim.id);
    }
  }
}
