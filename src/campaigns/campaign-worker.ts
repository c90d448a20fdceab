/**
 * The campaign worker, one per process, once a second: starts scheduled campaigns whose time has
 * come, completes running ones with nothing left pending, announces changed counts (at most one
 * `campaign.updated` a second per campaign, however fast messages settle), puts daily-limit holds
 * back in line as the window frees up, and adds newly enqueued messages to their contacts'
 * counters in small batches. Every step is a conditional statement, so any number of processes
 * can run it side by side.
 */
import type { Foundation } from '../foundation.js';
import type { Worker } from '../worker.js';
import { CampaignRepository, emptyCounts } from '../db/repositories/campaign.repository.js';
import { transaction } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import type { JsonObject } from '../db/schema.js';
import { presentCampaign } from '../resources/campaign.resource.js';
import { announceCampaign } from './announce-campaign.js';
import { releaseDailyLimitHolds } from './daily-limit.js';

/** The worker's collaborators; `wakeSender` starts sending the messages a round enqueued. */
export type CampaignWorkerDeps = Pick<Foundation, 'db' | 'config' | 'logger'> & { readonly wakeSender: () => void };

export interface CampaignWorkerOptions {
  readonly intervalMs: number;
  /** The least time between two count announcements of one campaign. */
  readonly announceIntervalMs: number;
  /** Contacts whose counters one batch updates. */
  readonly counterBatch: number;
  /** How long one round may spend on counters before yielding to the rest. */
  readonly counterBudgetMs: number;
  /** Finished campaigns keep being watched this long (late delivery and read statuses). */
  readonly watchFinishedHours: number;
}

const defaults: CampaignWorkerOptions = {
  intervalMs: 1_000,
  announceIntervalMs: 1_000,
  counterBatch: 2_000,
  counterBudgetMs: 500,
  watchFinishedHours: 24,
};

export class CampaignWorker implements Worker {
  readonly name = 'campaigns';
  private readonly options: CampaignWorkerOptions;
  private readonly campaigns: CampaignRepository;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly ctx: CampaignWorkerDeps, options: Partial<CampaignWorkerOptions> = {}) {
    this.options = { ...defaults, ...options };
    this.campaigns = new CampaignRepository(ctx.db);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round of every step; exposed so tests can drive the worker without waiting. */
  async tick(): Promise<void> {
    await this.startDue();
    await releaseDailyLimitHolds(this.ctx.db, this.ctx.config.dailyLimit);
    await this.settleCounters();
    await this.watchLive();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.tick()
        .catch((error: unknown) => this.ctx.logger.error({ err: error }, 'campaign worker round failed'))
        .finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async startDue(): Promise<void> {
    const started = await transaction(this.ctx.db, async (trx) => {
      const due = await this.campaigns.with(trx).startDue();
      for (const campaign of due) await announceCampaign(trx, campaign);
      return due.length;
    });
    if (started > 0) this.ctx.wakeSender();
  }

  private async settleCounters(): Promise<void> {
    const deadline = Date.now() + this.options.counterBudgetMs;
    for (;;) {
      const settled = await transaction(this.ctx.db, (trx) => this.campaigns.with(trx).settleCounters(this.options.counterBatch));
      if (settled === 0 || Date.now() >= deadline) return;
    }
  }

  private async watchLive(): Promise<void> {
    const live = await this.campaigns.live(this.options.watchFinishedHours);
    if (live.length === 0) return;
    const counts = await this.campaigns.counts(live.map((campaign) => campaign.id));
    const drained = live.filter((campaign) => campaign.status === 'running' && counts.get(campaign.id)?.pending === 0);
    const completed = new Set<string>();
    if (drained.length > 0) {
      await transaction(this.ctx.db, async (trx) => {
        for (const campaign of await this.campaigns.with(trx).completeDrained(drained.map((row) => row.id))) {
          completed.add(campaign.id);
          await announceCampaign(trx, campaign, counts.get(campaign.id));
        }
      });
    }
    for (const campaign of live) {
      if (completed.has(campaign.id)) continue;
      const current = counts.get(campaign.id) ?? emptyCounts();
      await transaction(this.ctx.db, async (trx) => {
        const claimed = await this.campaigns.with(trx).claimAnnouncement(campaign.id, current, this.options.announceIntervalMs);
        if (claimed) await recordEvent(trx, 'campaign.updated', presentCampaign(claimed, current) as unknown as JsonObject);
      });
    }
  }
}
