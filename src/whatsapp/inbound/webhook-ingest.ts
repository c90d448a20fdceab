/**
 * The durable first step of every inbound webhook, from Meta or the sandbox: store the raw body,
 * then wake the processor. Once `store` resolves the event cannot be lost, so the caller may
 * acknowledge it.
 *
 * Bodies that arrive while an insert is under way wait for it and then go together in one
 * statement (one round trip and one commit for the lot), so under a burst the database work per
 * webhook shrinks instead of queueing up; a lone webhook is inserted at once.
 */
import { performance } from 'node:perf_hooks';
import { WebhookEventRepository } from '../../db/repositories/webhook-event.repository.js';
import type { WebhookEventSource } from '../../db/schema.js';
import type { Executor } from '../../db/transaction.js';

interface Waiting {
  readonly body: string;
  readonly source: WebhookEventSource;
  resolve(id: number): void;
  reject(error: unknown): void;
}

/** Meta posts up to about 3 MB per webhook; a batch stays well within one statement. */
const MAX_BATCH = 200;

export class WebhookIngest {
  private waiting: Waiting[] = [];
  private inserting = false;
  private lastActivity = 0;

  constructor(
    private readonly db: Executor,
    private readonly wakeProcessor: () => void,
  ) {}

  /** Stores `body` (already known to be JSON) and returns its inbox id. */
  store(body: string, source: WebhookEventSource): Promise<number> {
    this.lastActivity = performance.now();
    return new Promise((resolve, reject) => {
      this.waiting.push({ body, source, resolve, reject });
      if (!this.inserting) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inserting = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const ids = await new WebhookEventRepository(this.db).insertMany(batch);
        batch.forEach((event, index) => {
          const id = ids[index];
          if (id === undefined) event.reject(new Error('the webhook inbox returned fewer ids than it was given'));
          else event.resolve(id);
        });
        this.wakeProcessor();
      } catch (error) {
        for (const event of batch) event.reject(error);
      }
    }
    this.inserting = false;
    this.lastActivity = performance.now();
  }

  /** Whether webhooks are arriving: one is being stored, or one came within `quietMs`. */
  isBusy(quietMs: number): boolean {
    return this.inserting || this.waiting.length > 0 || performance.now() - this.lastActivity < quietMs;
  }
}
