/**
 * The built-in sandbox, used when no access token is configured: sends succeed with generated
 * wamids, and each message's statuses (sent, delivered, read) follow a few seconds apart as
 * webhooks shaped like Meta's, stored and processed exactly as real ones are. Customers can be
 * simulated with `inboundWebhook`. Nothing leaves the machine.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../shared/logger.js';
import type { TransportKind, SendResult, WhatsAppTransport } from '../transport.js';
import type { WebhookIngest } from '../inbound/webhook-ingest.js';
import type { MarkReadRequest, SendRequest } from './wire-format.js';

export const SANDBOX_PHONE_NUMBER_ID = 'sandbox';
const sandboxDisplayNumber = '15550000000';

export interface CustomerMessage {
  readonly waId: string;
  readonly name: string | undefined;
  readonly text: string;
  /** A file instead of text: the type and its object as Meta posts it (the text is then unused). */
  readonly media?: { readonly type: string; readonly body: Record<string, unknown> };
  readonly wamid: string;
  readonly at: Date;
}

function envelope(value: Record<string, unknown>, phoneNumberId = SANDBOX_PHONE_NUMBER_ID): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: 'sandbox',
      changes: [{
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { display_phone_number: sandboxDisplayNumber, phone_number_id: phoneNumberId }, ...value },
      }],
    }],
  });
}

export function sandboxWamid(): string {
  return `wamid.SANDBOX${randomBytes(18).toString('base64url')}`;
}

const unixSeconds = (date: Date): string => String(Math.floor(date.getTime() / 1000));

/** A customer's text message as Meta would post it. */
export function inboundWebhook(message: CustomerMessage): string {
  return envelope({
    contacts: [{ profile: { name: message.name ?? message.waId }, wa_id: message.waId }],
    messages: [{
      from: message.waId,
      id: message.wamid,
      timestamp: unixSeconds(message.at),
      ...(message.media ? { type: message.media.type, [message.media.type]: message.media.body } : { type: 'text', text: { body: message.text } }),
    }],
  });
}

function statusWebhook(wamid: string, status: 'sent' | 'delivered' | 'read', recipient: string, callback: string, phoneNumberId: string): string {
  return envelope({
    statuses: [{ id: wamid, status, timestamp: unixSeconds(new Date()), recipient_id: recipient, biz_opaque_callback_data: callback }],
  }, phoneNumberId);
}

export class SandboxTransport implements WhatsAppTransport {
  readonly kind: TransportKind = 'sandbox';
  private readonly timers = new Set<NodeJS.Timeout>();
  private ingest: WebhookIngest | undefined;

  constructor(
    private readonly logger: Logger,
    /** The wait between one status and the next. */
    private readonly stepMs: number,
    /** The number its status webhooks name (a sandbox channel added over the API has its own). */
    private readonly phoneNumberId = SANDBOX_PHONE_NUMBER_ID,
  ) {}

  /** Where the simulated status webhooks go (set once the webhook pipeline exists). */
  connect(ingest: WebhookIngest): void {
    this.ingest = ingest;
  }

  async send(request: SendRequest): Promise<SendResult> {
    const wamid = sandboxWamid();
    const recipient = request.to.replace(/\D/g, '');
    // A reaction is no message of FlowChat's: nothing to report back on.
    if (request.type === 'reaction') return { kind: 'accepted', wamid, waId: recipient };
    const steps = ['sent', 'delivered', 'read'] as const;
    steps.forEach((status, index) => this.later((index + 1) * this.stepMs, statusWebhook(wamid, status, recipient, request.biz_opaque_callback_data, this.phoneNumberId)));
    return { kind: 'accepted', wamid, waId: recipient };
  }

  async markRead(_request: MarkReadRequest): Promise<SendResult> {
    return { kind: 'accepted', wamid: '', waId: undefined };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, body: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.ingest?.store(body, 'sandbox').catch((error: unknown) => this.logger.warn({ err: error }, 'sandbox status could not be stored'));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
