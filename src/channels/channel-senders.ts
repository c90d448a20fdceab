/**
 * One sender per live channel, in every process: each claims only its channel's messages and
 * paces them against its own pacer row at its own rate, so one number's backlog, pause or outage
 * never holds another's messages. Channels added, changed (a new token, a new rate) or deleted in
 * any process are picked up within `syncEveryMs`; at once for changes made in this process.
 * A channel's read receipts take slots from the same pacer as its sends.
 */
import type { Config } from '../config/env.js';
import type { Worker } from '../worker.js';
import type { ClaimedMessage } from '../db/repositories/outbox.repository.js';
import type { Executor } from '../db/transaction.js';
import type { MessageStatusService } from '../whatsapp/inbound/message-status.service.js';
import type { Logger } from '../shared/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import type { WhatsAppTransport } from '../whatsapp/transport.js';
import { CloudApiClient } from '../whatsapp/outbound/cloud-api-client.js';
import { Pacer } from '../whatsapp/outbound/pacer.js';
import { ReadReceipts } from '../whatsapp/outbound/read-receipts.js';
import { SandboxTransport } from '../whatsapp/outbound/sandbox-transport.js';
import { Sender, senderCapacity } from '../whatsapp/outbound/sender.js';
import type { SendRequest } from '../whatsapp/outbound/wire-format.js';
import type { WebhookIngest } from '../whatsapp/inbound/webhook-ingest.js';
import type { ChannelDirectory, ChannelEntry } from './channel-directory.js';
import { cancelQueued } from './channel.service.js';
import { ENV_CHANNEL_ID } from './environment-channel.js';

export interface ChannelSendersOptions {
  /** Decides which claimed messages may go now (the campaigns' daily limit). */
  readonly admit: (claimed: ClaimedMessage[]) => Promise<ClaimedMessage[]>;
  /** Where sandbox channels post their simulated status webhooks. */
  readonly ingest: WebhookIngest;
  readonly statuses: MessageStatusService;
  /** Fills in what a request needs just before it goes out (Meta's ids of template header media). */
  readonly prepareRequest?: (request: SendRequest, channelId: string) => Promise<SendRequest>;
}

interface Runner {
  /** What the runner was built from: a change rebuilds it. */
  readonly version: string;
  readonly transport: WhatsAppTransport;
  readonly sender: Sender;
  readonly receipts: ReadReceipts;
  readonly pacer: Pacer;
}

const syncEveryMs = 5_000;

function versionOf(entry: ChannelEntry): string {
  return JSON.stringify([entry.type, entry.phoneNumberId, entry.rateLimit, entry.accessToken ?? '']);
}

export class ChannelSenders implements Worker {
  readonly name = 'whatsapp-channel-senders';
  private readonly runners = new Map<string, Runner>();
  private started = false;
  /** Runners of removed or changed channels, finishing their sends. */
  private readonly retiring = new Set<Promise<void>>();
  private readonly sync: PeriodicTask;

  constructor(
    private readonly db: Executor,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly directory: ChannelDirectory,
    private readonly options: ChannelSendersOptions,
  ) {
    this.reconcile();
    this.directory.onChange(() => this.reconcile());
    this.sync = new PeriodicTask('channel-sync', syncEveryMs, () => this.directory.refresh(), logger);
  }

  /** The environment channel's sandbox, when it is one. */
  get environmentSandbox(): SandboxTransport | undefined {
    const transport = this.runners.get(ENV_CHANNEL_ID)?.transport;
    return transport instanceof SandboxTransport ? transport : undefined;
  }

  /** The channel's transport (Cloud API client or sandbox); undefined for a channel not live here. */
  transport(channelId: string): WhatsAppTransport | undefined {
    return this.runners.get(channelId)?.transport;
  }

  /** The channel's pacer, shared by every request to that number; undefined for a channel not live here. */
  pacer(channelId: string): Pacer | undefined {
    return this.runners.get(channelId)?.pacer;
  }

  /** Looks for work now: on one channel, or on all. */
  wake(channelId?: string): void {
    if (channelId !== undefined) this.runners.get(channelId)?.sender.wake();
    else for (const runner of this.runners.values()) runner.sender.wake();
  }

  /** Tells WhatsApp, on the message's channel, that the inbound message `wamid` was read. */
  readReceipt(channelId: string, wamid: string): void {
    this.runners.get(channelId)?.receipts.send(wamid);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const runner of this.runners.values()) runner.sender.start();
    this.sync.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.sync.stop();
    await Promise.all([...this.runners.values()].map((runner) => this.retire(runner)));
    this.runners.clear();
    await Promise.all(this.retiring);
  }

  /** Starts runners for new or changed channels and retires those of changed or deleted ones. */
  private reconcile(): void {
    const live = new Map(this.directory.live().map((entry) => [entry.id, entry]));
    for (const [id, runner] of this.runners) {
      const entry = live.get(id);
      if (entry && versionOf(entry) === runner.version) continue;
      this.runners.delete(id);
      // A deleted channel's messages that the sender held are put back as it stops: cancel them too.
      const done: Promise<void> = this.retire(runner)
        .then(async () => {
          if (!entry) await cancelQueued(this.db, id);
        })
        .catch((error: unknown) => this.logger.error({ err: error, channelId: id }, 'the sender of a removed channel could not be stopped cleanly'))
        .finally(() => this.retiring.delete(done));
      this.retiring.add(done);
    }
    for (const entry of live.values()) {
      if (this.runners.has(entry.id)) continue;
      const runner = this.runnerFor(entry);
      this.runners.set(entry.id, runner);
      if (this.started) runner.sender.start();
    }
  }

  private runnerFor(entry: ChannelEntry): Runner {
    const transport = this.transportFor(entry);
    const prepare = this.options.prepareRequest;
    const sender = new Sender(this.db, transport, this.options.statuses, this.logger.child({ channelId: entry.id }), {
      channelId: entry.id,
      ratePerSecond: entry.rateLimit,
      unknownOutcomeGraceSeconds: this.config.unknownOutcomeGraceSeconds,
      pollMs: 250,
      tokenFingerprint: this.directory.tokenFingerprint(entry.id),
      admit: this.options.admit,
      ...(prepare ? { prepareRequest: (request: SendRequest) => prepare(request, entry.id) } : {}),
    });
    const pacer = new Pacer(this.db, entry.rateLimit, entry.id);
    const receipts = new ReadReceipts(transport, pacer, this.logger);
    return { version: versionOf(entry), transport, sender, receipts, pacer };
  }

  private transportFor(entry: ChannelEntry): WhatsAppTransport {
    if (entry.type === 'sandbox') {
      const sandbox = new SandboxTransport(this.logger, this.config.sandboxStatusStepMs, entry.phoneNumberId);
      sandbox.connect(this.options.ingest);
      return sandbox;
    }
    return new CloudApiClient({
      apiUrl: this.config.whatsappApiUrl,
      phoneNumberId: entry.phoneNumberId,
      accessToken: entry.accessToken ?? '',
      timeoutMs: this.config.whatsappRequestTimeoutMs,
      maxSockets: senderCapacity(entry.rateLimit).maxInFlight + 8,
    });
  }

  private async retire(runner: Runner): Promise<void> {
    await runner.sender.stop();
    await runner.receipts.settle();
    await runner.transport.close();
  }
}
