/**
 * The media worker, one in every FlowChat process: inbound downloads, outbound uploads to Meta,
 * and removal of stored bytes no file needs any more. It wakes when this process commits such
 * work and polls for the work of others and for retries that have come due.
 */
import type { Worker } from '../worker.js';
import type { Executor } from '../db/transaction.js';
import { onWork } from '../db/work-signals.js';
import type { Logger } from '../shared/logger.js';
import type { InboundDownloads } from './inbound-downloads.js';
import type { MediaStorage } from './media-storage.js';
import { MediaRepository } from './media.repository.js';
import type { OutboundUploads } from './outbound-uploads.js';
import { sweepSpool } from './spool.js';
import { TickLoop } from '../shared/tick-loop.js';

const spoolLeftoverMs = 6 * 3_600_000;

export class MediaWorker implements Worker {
  readonly name = 'media-worker';
  private readonly loop: TickLoop;
  private stopHearing: (() => void) | undefined;

  constructor(
    private readonly db: Executor,
    private readonly storage: MediaStorage,
    private readonly downloads: InboundDownloads,
    private readonly uploads: OutboundUploads,
    private readonly logger: Logger,
    pollMs: number,
  ) {
    this.loop = new TickLoop(() => this.tick(), pollMs);
  }

  start(): void {
    if (this.loop.running) return;
    this.stopHearing = onWork(this.db, 'media', () => this.wake());
    // Spooled files no upload or download in any process can still be writing.
    sweepSpool(this.storage.spoolDir, spoolLeftoverMs).catch((error: unknown) => this.logger.warn({ err: error }, 'the media spool could not be swept'));
    this.loop.start();
  }

  async stop(): Promise<void> {
    if (!this.loop.running) return;
    this.stopHearing?.();
    await this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  private async tick(): Promise<void> {
    for (const [what, chore] of [['download', () => this.downloads.runDue()], ['upload', () => this.uploads.runDue()], ['deletion', () => this.deleteUnused()]] as const) {
      try {
        // A full batch means more may be due: look again soon.
        if ((await chore()) > 0) this.loop.wake();
      } catch (error) {
        this.logger.warn({ err: error, chore: what }, 'media work could not run; retrying');
      }
      if (!this.loop.running) return;
    }
  }

  private async deleteUnused(): Promise<number> {
    const repository = new MediaRepository(this.db);
    const keys = await repository.dueDeletions(50);
    for (const key of keys) {
      await this.storage.delete(key);
      await repository.deletionDone(key);
    }
    return keys.length;
  }
}
