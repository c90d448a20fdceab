/**
 * Outbound webhooks for admins: register an endpoint (its secret shown once, then kept only
 * encrypted), list and delete endpoints, read an endpoint's deliveries with every attempt, and
 * send a settled event again. Creations and deletions are audited in their own transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Foundation } from '../foundation.js';
import { actorOf, recordAudit } from '../audit/record-audit.js';
import type { WebhookDeliveryStatus } from '../db/schema.js';
import { transaction } from '../db/transaction.js';
import type { EventType } from '../events/event-types.js';
import type { Principal } from '../auth/auth.service.js';
import { randomToken } from '../shared/crypto.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { DeliveryRepository, type DeliveryWithAttempts } from './delivery.repository.js';
import { SecretBox } from './secret-box.js';
import { WebhookRepository, type WebhookRow } from './webhook.repository.js';

export interface WebhookInput {
  readonly url: string;
  readonly events: readonly EventType[];
  /** Generated when not given. */
  readonly secret?: string | undefined;
}

export interface CreatedWebhook {
  readonly webhook: WebhookRow;
  /** The plain secret: for the create answer only. */
  readonly secret: string;
}

export interface DeliveryQuery {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly status?: WebhookDeliveryStatus | undefined;
}

export interface DeliveryPage {
  readonly webhook: WebhookRow;
  readonly items: DeliveryWithAttempts[];
  readonly next_cursor: string | null;
}

/**
 * An `http` or `https` URL, credentials left out (they would be shown back in every listing).
 * Loopback and private addresses are allowed: FlowChat is self-hosted and its operator decides.
 */
function checkedWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('invalid_url', 'The URL cannot be parsed', [{ field: 'url', message: 'must be an absolute URL' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_url', `Only http and https URLs can receive webhooks, not ${url.protocol.slice(0, 20)}`, [{ field: 'url', message: 'must use http or https' }]);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('invalid_url', 'The URL must not carry a user name or password', [{ field: 'url', message: 'must not contain credentials' }]);
  }
  return url.toString();
}

export class WebhookService {
  private readonly webhooks: WebhookRepository;
  private readonly deliveries: DeliveryRepository;
  private readonly secrets: SecretBox;

  constructor(private readonly ctx: Pick<Foundation, 'db' | 'cursors'>) {
    this.webhooks = new WebhookRepository(ctx.db);
    this.deliveries = new DeliveryRepository(ctx.db);
    this.secrets = new SecretBox(ctx.db);
  }

  async create(principal: Principal, input: WebhookInput): Promise<CreatedWebhook> {
    const url = checkedWebhookUrl(input.url);
    const events = [...new Set(input.events)];
    const secret = input.secret ?? `whsec_${randomToken(32)}`;
    const id = randomUUID();
    const secretCiphertext = await this.secrets.seal(secret, id);
    return transaction(this.ctx.db, async (trx) => {
      const webhook = await this.webhooks.with(trx).create({ id, url, events, secret_ciphertext: secretCiphertext, created_by: principal.userId });
      await recordAudit(trx, { actor: actorOf(principal), action: 'webhook.created', target: { type: 'webhook', id }, details: { url, events } });
      return { webhook, secret };
    });
  }

  list(): Promise<WebhookRow[]> {
    return this.webhooks.list();
  }

  async get(id: string): Promise<WebhookRow> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw new NotFoundError('webhook_not_found');
    return webhook;
  }

  /** Deletes the endpoint and its pending deliveries: nothing more is sent to it. */
  async delete(principal: Principal, id: string): Promise<void> {
    await transaction(this.ctx.db, async (trx) => {
      const webhook = await this.webhooks.with(trx).delete(id);
      if (!webhook) throw new NotFoundError('webhook_not_found');
      await recordAudit(trx, { actor: actorOf(principal), action: 'webhook.deleted', target: { type: 'webhook', id }, details: { url: webhook.url, events: webhook.events } });
    });
  }

  /** The endpoint's deliveries, newest first, with the endpoint itself (its health says whether it keeps failing). */
  async listDeliveries(id: string, query: DeliveryQuery): Promise<DeliveryPage> {
    const webhook = await this.get(id);
    const limit = query.limit ?? 50;
    const scope = `webhook_deliveries:${id}`;
    const after = query.cursor === undefined ? undefined : this.ctx.cursors.decode(query.cursor, scope);
    const rows = await this.deliveries.listWithAttempts(id, { limit: limit + 1, after, status: query.status });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const next_cursor = rows.length > limit && last ? this.ctx.cursors.encode({ value: last.id, id: String(last.id) }, scope) : null;
    return { webhook, items, next_cursor };
  }

  /** Sends a delivered or failed event again, with a fresh retry schedule, as soon as possible. */
  async redeliver(id: string, eventIdText: string): Promise<DeliveryWithAttempts> {
    await this.get(id);
    if (!/^[1-9][0-9]{0,14}$/.test(eventIdText)) throw new NotFoundError('delivery_not_found');
    const eventId = Number(eventIdText);
    const delivery = await this.deliveries.redeliver(id, eventId);
    if (!delivery) {
      const existing = await this.deliveries.findByEvent(id, eventId);
      if (!existing) throw new NotFoundError('delivery_not_found');
      throw new AppError('invalid_state', 'The delivery is still pending: it will be tried again on its own');
    }
    const [withAttempts] = await this.deliveries.withAttempts([delivery]);
    return withAttempts ?? { ...delivery, attempts: [] };
  }
}
