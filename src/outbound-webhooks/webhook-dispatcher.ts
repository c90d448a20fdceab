/**
 * The outbound webhook dispatcher, one in every FlowChat process. It leases due deliveries
 * endpoint by endpoint, at most `concurrencyPerEndpoint` in flight per endpoint, so a slow or dead
 * endpoint uses up its own slots and nobody else's; no database lock or connection is held while
 * a request is out. Each attempt is signed, bounded by the timeout, and settled in one
 * transaction. It wakes when this process commits deliveries, and polls for the work of others.
 */
import { performance } from 'node:perf_hooks';
import type { Foundation } from '../foundation.js';
import type { Worker } from '../worker.js';
import { DeliveryRepository, type AttemptOutcome, type ClaimedDelivery, type DueEndpoint } from './delivery.repository.js';
import { onWork } from '../db/work-signals.js';
import { retryDelayMs } from './retry-schedule.js';
import { SecretBox } from './secret-box.js';
import { signBody } from './signature.js';
import { WebhookRepository } from './webhook.repository.js';
import { TickLoop } from '../shared/tick-loop.js';
import { reportEndpointHealth, webhookAttemptDuration, webhookAttempts, webhookDeliveriesFailed } from './webhook-metrics.js';

const USER_AGENT = 'FlowChat-Webhooks/1';
const PRUNE_EVERY_MS = 3_600_000;
const MAX_ERROR_LENGTH = 500;

/** Why a request got no response, in words an integrator can act on. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const text =
    cause && typeof cause.message === 'string' ? (typeof cause.code === 'string' && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message)
    : error instanceof Error ? error.message
    : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

export class WebhookDispatcher implements Worker {
  readonly name = 'webhook-dispatcher';
  private readonly deliveries: DeliveryRepository;
  private readonly webhooks: WebhookRepository;
  private readonly secrets: SecretBox;
  /** A lease outlasts the longest attempt, with room for a slow commit after it. */
  private readonly leaseMs: number;
  private readonly inFlight = new Map<string, number>();
  /** Endpoints whose last claim filled every free slot: more may be due as soon as one frees. */
  private readonly backlogged = new Set<string>();
  private readonly attempts = new Set<Promise<void>>();
  private abort = new AbortController();
  private readonly loop: TickLoop;
  private lastPrune = 0;
  private databaseFailing = false;
  private detach: (() => void) | undefined;

  constructor(private readonly ctx: Pick<Foundation, 'db' | 'logger' | 'config'>) {
    this.deliveries = new DeliveryRepository(ctx.db);
    this.webhooks = new WebhookRepository(ctx.db);
    this.secrets = new SecretBox(ctx.db);
    this.leaseMs = ctx.config.webhooks.timeoutMs * 2 + 1_000;
    this.loop = new TickLoop(() => this.tick(), ctx.config.webhooks.pollMs);
  }

  start(): void {
    if (this.loop.running) return;
    this.abort = new AbortController();
    const stopHearing = onWork(this.ctx.db, 'webhook-deliveries', () => this.wake());
    const stopReporting = reportEndpointHealth(() => this.webhooks.health());
    this.detach = () => {
      stopHearing();
      stopReporting();
    };
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (!this.loop.running) return;
    const ticking = this.loop.stop();
    this.detach?.();
    // Requests in flight are cut short and their leases given back, so a restart or another
    // process sends them at once instead of after the lease runs out.
    this.abort.abort();
    await ticking;
    await Promise.allSettled([...this.attempts]);
  }

  /** Looks for due work now (or right after the look in progress). */
  private wake(): void {
    this.loop.wake();
  }

  private async tick(): Promise<void> {
    try {
      await this.pruneNowAndThen();
      for (const endpoint of await this.deliveries.dueEndpoints()) {
        const free = this.ctx.config.webhooks.concurrencyPerEndpoint - (this.inFlight.get(endpoint.id) ?? 0);
        if (!this.loop.running) return;
        if (free <= 0) continue;
        const claims = await this.deliveries.claim(endpoint.id, free, this.leaseMs);
        if (claims.length === free) this.backlogged.add(endpoint.id);
        else this.backlogged.delete(endpoint.id);
        for (const claim of claims) this.launch(endpoint, claim);
      }
      if (this.databaseFailing) this.ctx.logger.info('webhook dispatcher reaches the database again');
      this.databaseFailing = false;
    } catch (error) {
      if (!this.databaseFailing) this.ctx.logger.warn({ err: error }, 'webhook dispatcher cannot read its outbox; retrying');
      this.databaseFailing = true;
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const pruned = await this.deliveries.prune(this.ctx.config.webhooks.retentionDays);
    if (pruned > 0) this.ctx.logger.debug({ pruned }, 'old webhook deliveries pruned');
  }

  private launch(endpoint: DueEndpoint, claim: ClaimedDelivery): void {
    this.inFlight.set(endpoint.id, (this.inFlight.get(endpoint.id) ?? 0) + 1);
    const attempt = this.attempt(endpoint, claim)
      .catch((error: unknown) => {
        // Settling failed (database trouble): the lease runs out and the delivery is tried again.
        this.ctx.logger.warn({ err: error, webhookId: endpoint.id, eventId: claim.event_id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        const left = (this.inFlight.get(endpoint.id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(endpoint.id, left);
        else this.inFlight.delete(endpoint.id);
        this.attempts.delete(attempt);
        if (this.backlogged.has(endpoint.id)) this.wake();
      });
    this.attempts.add(attempt);
  }

  private async attempt(endpoint: DueEndpoint, claim: ClaimedDelivery): Promise<void> {
    const { timeoutMs, retryBaseMs, retryMaxMs, retryWindowSeconds } = this.ctx.config.webhooks;
    if (this.abort.signal.aborted) return this.deliveries.release(claim);
    const started = performance.now();
    let outcome: AttemptOutcome;
    try {
      const secret = await this.secrets.open(endpoint.secret_ciphertext, endpoint.id);
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-flowchat-event': claim.event_type,
          'x-flowchat-delivery': String(claim.event_id),
          'x-flowchat-signature': signBody(secret, claim.payload),
        },
        body: claim.payload,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.abort.signal]),
      });
      // Only the status counts; the body is not read, so a slow one cannot hold the slot.
      await response.body?.cancel().catch(() => undefined);
      const delivered = response.status >= 200 && response.status < 300;
      outcome = { delivered, responseStatus: response.status, error: null, durationMs: performance.now() - started };
    } catch (error) {
      if (this.abort.signal.aborted) return this.deliveries.release(claim);
      outcome = { delivered: false, responseStatus: null, error: describeFailure(error, timeoutMs), durationMs: performance.now() - started };
    }
    const label = outcome.delivered ? 'delivered' : 'error';
    webhookAttempts.inc({ webhook_id: endpoint.id, outcome: label });
    webhookAttemptDuration.observe({ outcome: label }, outcome.durationMs / 1000);
    const delay = outcome.delivered ? 0 : retryDelayMs(claim.retry_count + 1, { baseMs: retryBaseMs, maxMs: retryMaxMs });
    const status = await this.deliveries.settle(claim, outcome, delay, retryWindowSeconds);
    if (status === 'failed') {
      webhookDeliveriesFailed.inc({ webhook_id: endpoint.id });
      this.ctx.logger.warn({ webhookId: endpoint.id, eventId: claim.event_id, attempts: claim.retry_count + 1 }, 'webhook delivery failed for good');
    }
  }
}
