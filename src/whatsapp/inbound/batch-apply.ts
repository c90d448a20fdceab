/**
 * Applies the items of a batch of stored webhooks in one transaction. Runs of plain inbound
 * messages and statuses in which no contact or wamid comes twice (but for the statuses of one
 * message) are applied together, a few statements for the lot; the rest (reactions, keywords,
 * failed statuses, preferences, template updates, …) one at a time between the runs, so the
 * outcome is what applying the items one after another gives (see webhook-processor.ts).
 */
import { WhatsAppContactRepository, type ContactIdentity, type WhatsAppIdentity } from '../../db/repositories/whatsapp-contact.repository.js';
import type { JsonObject, Message } from '../../db/schema.js';
import type { Executor } from '../../db/transaction.js';
import { recordEvent } from '../../events/record-event.js';
import { optInContact, optOutContact } from '../../contacts/opt-out.service.js';
import type { TemplateStatusUpdate } from '../../templates/template-catalogue.js';
import type { InboundMessageService, PlainInbound, Received } from './inbound-message.service.js';
import type { MessageStatusService } from './message-status.service.js';
import type { Item } from './payload-items.js';
import { stringAt, timestampAt } from './webhook-payload.js';

/** Items looked at for one run applied together. */
const maxRunItems = 500;

/** An item of a run applied together, with what it applies to as read at the start of the run. */
type RunItem =
  | { readonly kind: 'skip' }
  | { readonly kind: 'inbound'; readonly inbound: PlainInbound; readonly contact: ContactIdentity | null }
  | { readonly kind: 'status'; readonly status: JsonObject; readonly message: Message | undefined };

/**
 * Runs in the transaction that stored `received` (new inbound messages, in order, never a
 * duplicate), after their events: what it does commits or rolls back with them.
 */
export type ReceivedHook = (trx: Executor, received: readonly Received[]) => Promise<void>;

export class BatchApply {
  private receivedHook: ReceivedHook | undefined;

  constructor(
    private readonly inbound: InboundMessageService,
    private readonly statuses: MessageStatusService,
    private readonly templateStatus: ((trx: Executor, update: TemplateStatusUpdate) => Promise<void>) | undefined,
  ) {}

  /** Sets what runs with newly received messages (automations). */
  onReceived(hook: ReceivedHook): void {
    this.receivedHook = hook;
  }

  /** Applies `items` in order: runs of plain ones together, the others one at a time. */
  async applyItems(trx: Executor, items: readonly Item[]): Promise<void> {
    let next = 0;
    while (next < items.length) {
      const run = await this.planRun(trx, items, next);
      if (run.length > 0) {
        await this.applyRun(trx, run);
        next += run.length;
      } else {
        await this.applyOne(trx, items[next] as Item);
        next += 1;
      }
    }
  }

  /**
   * The longest run of items from `start` that can be applied together, read against the
   * database as it is now; empty when the item at `start` must be applied alone.
   */
  private async planRun(trx: Executor, items: readonly Item[], start: number): Promise<RunItem[]> {
    const window: Array<{ kind: 'skip' } | { kind: 'inbound'; inbound: PlainInbound } | { kind: 'status'; status: JsonObject }> = [];
    for (const item of items.slice(start, start + maxRunItems)) {
      if (item.kind === 'message') {
        const plan = this.inbound.plan(item.raw, item.profiles, item.channelId);
        if (plan.kind === 'one') break;
        window.push(plan.kind === 'skip' ? plan : { kind: 'inbound', inbound: plan.inbound });
      } else if (item.kind === 'status' && this.statuses.isPlain(item.raw)) {
        window.push({ kind: 'status', status: item.raw });
      } else {
        break;
      }
    }
    const identities = window.flatMap((item) => (item.kind === 'inbound' ? [item.inbound.identity] : []));
    const statuses = window.flatMap((item) => (item.kind === 'status' ? [item.status] : []));
    const candidates = identities.length > 0 ? await this.inbound.contactCandidates(trx, identities) : [];
    const byWamid = new Map((statuses.length > 0 ? await this.statuses.messagesFor(trx, statuses) : []).map((message) => [message.external_id ?? '', message]));

    const run: RunItem[] = [];
    // What the run touches: a second item touching any of it must see the first one's writes.
    // Statuses of one message may share it: `applyPlain` moves the message one status after another.
    const touched = new Set<string>();
    const byStatuses = new Set<string>();
    const claim = (keys: readonly string[]): boolean => {
      if (keys.some((key) => touched.has(key) || byStatuses.has(key))) return false;
      for (const key of keys) touched.add(key);
      return true;
    };
    const claimForStatus = (keys: readonly string[]): boolean => {
      if (keys.some((key) => touched.has(key))) return false;
      for (const key of keys) byStatuses.add(key);
      return true;
    };
    for (const item of window) {
      if (item.kind === 'skip') {
        run.push(item);
      } else if (item.kind === 'inbound') {
        const contact = this.inbound.resolve(candidates, item.inbound.identity);
        if (contact === 'one') break;
        if (!claim([`wamid:${item.inbound.wamid}`, ...identityKeys(item.inbound.identity), ...(contact ? [`contact:${contact.id}`] : [])])) break;
        run.push({ kind: 'inbound', inbound: item.inbound, contact });
      } else {
        const resolved = this.statuses.resolve(byWamid, item.status);
        if (resolved === 'one') break;
        const wamid = stringAt(item.status, 'id');
        if (!claimForStatus([...(wamid ? [`wamid:${wamid}`] : []), ...(resolved.message ? [`message:${resolved.message.id}`] : [])])) break;
        run.push({ kind: 'status', status: item.status, message: resolved.message });
      }
    }
    return run;
  }

  /** Applies a planned run in a few statements, then records its events in item order (queued; inserted at commit). */
  private async applyRun(trx: Executor, run: readonly RunItem[]): Promise<void> {
    const inbound = run.flatMap((item) => (item.kind === 'inbound' ? [item] : []));
    const statuses = run.flatMap((item) => (item.kind === 'status' ? [item] : []));
    const inboundOutcomes = inbound.length > 0 ? await this.inbound.receivePlain(trx, inbound) : [];
    const inboundEvents = inboundOutcomes.values();
    const statusEvents = (statuses.length > 0 ? await this.statuses.applyPlain(trx, statuses) : []).values();
    for (const item of run) {
      const events = item.kind === 'inbound' ? inboundEvents.next().value?.events : item.kind === 'status' ? statusEvents.next().value : undefined;
      for (const event of events ?? []) await recordEvent(trx, event.type, event.data);
    }
    const received = inboundOutcomes.flatMap((outcome) => (outcome.received ? [outcome.received] : []));
    if (received.length > 0) await this.receivedHook?.(trx, received);
  }

  /** Applies one item as processing one event after another always has. */
  async applyOne(trx: Executor, item: Item): Promise<void> {
    if (item.kind === 'message') {
      const received = await this.inbound.receive(trx, item.raw, item.profiles, item.channelId);
      if (received) await this.receivedHook?.(trx, [received]);
    } else if (item.kind === 'status') await this.statuses.apply(trx, item.raw);
    else if (item.kind === 'template') await this.templateStatus?.(trx, item.update);
    else await this.preference(trx, item.raw);
  }

  /** Marketing opt-out and back in, as the user set it in WhatsApp. */
  private async preference(trx: Executor, preference: JsonObject): Promise<void> {
    if (stringAt(preference, 'category') !== 'marketing_messages') return;
    const waId = stringAt(preference, 'wa_id')?.replace(/\D/g, '');
    const contact = await new WhatsAppContactRepository(trx).findByIdentity({ waId: waId || undefined, bsuid: stringAt(preference, 'user_id'), username: undefined, profileName: undefined });
    if (!contact) return;
    const at = timestampAt(preference, 'timestamp');
    const choice = stringAt(preference, 'value');
    if (choice === 'stop') await optOutContact(trx, contact.id, 'whatsapp', at, 'WhatsApp marketing preference: stop');
    else if (choice === 'resume') await optInContact(trx, contact.id, at, 'WhatsApp marketing preference: resume');
  }
}

/** The ids an identity could be found by: two items sharing one could name the same contact. */
function identityKeys(identity: WhatsAppIdentity): string[] {
  return [...(identity.bsuid ? [`bsuid:${identity.bsuid}`] : []), ...(identity.waId ? [`wa_id:${identity.waId}`] : [])];
}
