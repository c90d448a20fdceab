/**
 * Read receipts: when an agent opens a thread, WhatsApp is told the newest inbound message was
 * read (which marks the earlier ones too). A receipt takes a pacer slot like a send, and is best
 * effort: a failure is logged, never retried into a loop.
 */
import type { Logger } from '../../shared/logger.js';
import type { WhatsAppTransport } from '../transport.js';
import type { Pacer } from './pacer.js';
import { markReadRequest } from './wire-format.js';

export class ReadReceipts {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly transport: WhatsAppTransport,
    private readonly pacer: Pacer,
    private readonly logger: Logger,
  ) {}

  /** Sends the receipt in the background. */
  send(wamid: string): void {
    const done = this.deliver(wamid).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Waits for receipts under way (on shutdown). */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async deliver(wamid: string): Promise<void> {
    try {
      await this.pacer.acquire();
      const result = await this.transport.markRead(markReadRequest(wamid));
      if (result.kind !== 'accepted') this.logger.warn({ outcome: result.kind, code: result.kind === 'rejected' ? result.code : undefined }, 'read receipt not accepted');
    } catch (error) {
      this.logger.warn({ err: error }, 'read receipt could not be sent');
    }
  }
}
