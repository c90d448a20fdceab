/**
 * Applies the items of a batch of stored webhooks in one transaction. Runs of plain inbound
 * messages and statuses in which no wamid comes twice are applied together, a few statements a
 * round (a contact's or a message's second item in the second round, …), reactions and keywords
 * one at a time at their place in their round; the rest (failures that opt out or pause, matches
 * by callback data, preferences, template updates) one at a time between the runs, so the outcome
 * is what applying the items one after another gives (see webhook-processor.ts).
 */
import { WhatsAppContactRepository, type ContactIdentity, type WhatsAppIdentity } from '../../db/repositories/whatsapp-contact.repository.js';
import type { JsonObject, Message } from '../../db/schema.js';
import type { Executor } from '../../db/transaction.js';
import { recordEvent } from '../../events/record-event.js';
import { optInContact, optOutContact } from '../../contacts/opt-out.service.js';
import type { TemplateStatusUpdate } from '../../templates/template-catalogue.js';
import type { InboundMessageService, InboundPlan, PlainInbound, Received } from './inbound-message.service.js';
import type { MessageStatusService } from './message-status.service.js';
import type { Item } from './payload-items.js';
import { stringAt, timestampAt } from './webhook-payload.js';
import { inRounds } from '../../shared/rounds.js';

/**
 * Items looked at for one run applied together, at most and at least. Planning a run reads the
 * contacts and messages of every item it looks at, so after a run that ended early (an item
 * that must see its writes) the next one looks at less, twice what the last one took.
 */
const maxRunItems = 500;
const minRunItems = 16;

/** An item of a run applied together, with what it applies to as read at the start of the run. */
type RunItem =
  | { readonly kind: 'skip' }
  | {
      readonly kind: 'inbound';
      readonly inbound: PlainInbound;
      readonly contact: ContactIdentity | null;
      /** Whose message it is: its contact's, or for a contact to create, its very identity's. */
      readonly owner: string;
    }
  | { readonly kind: 'status'; readonly status: JsonObject; readonly message: Message | undefined }
  /** A reaction or a keyword: applied by `receive` at its place in its round, its customer's other messages in the rounds before and after. */
  | { readonly kind: 'alone'; readonly item: Item; readonly owner: string };

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
    let lookAt = maxRunItems;
    while (next < items.length) {
      const run = await this.planRun(trx, items.slice(next, next + lookAt));
      if (run.length > 0) {
        await this.applyRun(trx, run);
        next += run.length;
        lookAt = Math.min(maxRunItems, Math.max(minRunItems, 2 * run.length));
      } else {
        await this.applyOne(trx, items[next] as Item);
        next += 1;
        lookAt = minRunItems;
      }
    }
  }

  /**
   * The longest run of the first `items` that can be applied together, read against the
   * database as it is now; empty when the first item must be applied alone.
   */
  private async planRun(trx: Executor, items: readonly Item[]): Promise<RunItem[]> {
    const window: Array<
      { kind: 'skip' } | { kind: 'inbound'; inbound: PlainInbound } | { kind: 'status'; status: JsonObject } | { kind: 'one'; item: Item; plan: Extract<InboundPlan, { kind: 'one' }> }
    > = [];
    for (const item of items) {
      if (item.kind === 'message') {
        const plan = this.inbound.plan(item.raw, item.profiles, item.channelId);
        window.push(plan.kind === 'skip' ? plan : plan.kind === 'one' ? { kind: 'one', item, plan } : { kind: 'inbound', inbound: plan.inbound });
      } else if (item.kind === 'status' && this.statuses.isPlain(item.raw)) {
        window.push({ kind: 'status', status: item.raw });
      } else {
        break;
      }
    }
    const identities = window.flatMap((item) => (item.kind === 'inbound' ? [item.inbound.identity] : item.kind === 'one' ? [item.plan.identity] : []));
    const statuses = window.flatMap((item) => (item.kind === 'status' ? [item.status] : []));
    const candidates = identities.length > 0 ? await this.inbound.contactCandidates(trx, identities) : [];
    const byWamid = new Map((statuses.length > 0 ? await this.statuses.messagesFor(trx, statuses) : []).map((message) => [message.external_id ?? '', message]));

    const run: RunItem[] = [];
    // What the run touches, and for whom: an item touching what another one claimed must see its
    // writes, so the run ends before it. The statuses of a run share what they touch (`applyPlain`
    // moves a message one status after another), and so do the messages of one contact, existing
    // or to be created from the very same identity (`applyRun` stores them a round at a time).
    const owners = new Map<string, string>();
    const claim = (keys: readonly string[], owner: string): boolean => {
      if (keys.some((key) => (owners.get(key) ?? owner) !== owner)) return false;
      for (const key of keys) owners.set(key, owner);
      return true;
    };
    // A customer's message claims its wamids for itself, and its contact (or identity) for the customer.
    const claimCustomer = (index: number, identity: WhatsAppIdentity, wamids: readonly string[]) => {
      const contact = this.inbound.resolve(candidates, identity);
      const owner = contact ? `contact:${contact.id}` : newContactOwner(identity);
      const claimed = claim(wamids.map((wamid) => `wamid:${wamid}`), `item:${index}`) && claim([...identityKeys(identity), ...(contact ? [owner] : [])], owner);
      return claimed ? { contact, owner } : undefined;
    };
    for (const [index, item] of window.entries()) {
      if (item.kind === 'skip') {
        run.push(item);
      } else if (item.kind === 'inbound') {
        const customer = claimCustomer(index, item.inbound.identity, [item.inbound.wamid]);
        if (!customer) break;
        run.push({ kind: 'inbound', inbound: item.inbound, ...customer });
      } else if (item.kind === 'one') {
        // A reaction also claims the message it reacts to: a status of it, or that message stored, in the same run ends the run.
        const { identity, wamid, targetWamid } = item.plan;
        const customer = claimCustomer(index, identity, [wamid, ...(targetWamid ? [targetWamid] : [])]);
        if (!customer) break;
        run.push({ kind: 'alone', item: item.item, owner: customer.owner });
      } else {
        const resolved = this.statuses.resolve(byWamid, item.status);
        if (resolved === 'one') break;
        const wamid = stringAt(item.status, 'id');
        if (!claim([...(wamid ? [`wamid:${wamid}`] : []), ...(resolved.message ? [`message:${resolved.message.id}`] : [])], 'statuses')) break;
        run.push({ kind: 'status', status: item.status, message: resolved.message });
      }
    }
    return run;
  }

  /**
   * Applies a planned run in a few statements a round. A contact's first message of the run goes
   * in the first round with the statuses, its second in the next, and so on; each round records
   * its items' events in item order (queued; inserted at commit), applying its reactions and
   * keywords by `receive` at their places, then runs the automations on what it stored, so the
   * next round finds the contact as they left it.
   */
  private async applyRun(trx: Executor, run: readonly RunItem[]): Promise<void> {
    // Each customer's contact as an earlier round left it (created, or its identity filled in), for their later messages.
    const latest = new Map<string, ContactIdentity>();
    for (const round of inRounds(run, (item) => (item.kind === 'inbound' || item.kind === 'alone' ? item.owner : undefined))) {
      const inbound = round.flatMap((item) => (item.kind === 'inbound' ? [item] : []));
      const statuses = round.flatMap((item) => (item.kind === 'status' ? [item] : []));
      const outcomes = inbound.length > 0 ? await this.inbound.receivePlain(trx, inbound.map((item) => ({ ...item, contact: latest.get(item.owner) ?? item.contact }))) : [];
      inbound.forEach((item, position) => {
        const contact = outcomes[position]?.contact;
        if (contact) latest.set(item.owner, contact);
      });
      const inboundEvents = outcomes.values();
      const statusEvents = (statuses.length > 0 ? await this.statuses.applyPlain(trx, statuses) : []).values();
      for (const item of round) {
        if (item.kind === 'alone') {
          await this.applyOne(trx, item.item);
          continue;
        }
        const events = item.kind === 'inbound' ? inboundEvents.next().value?.events : item.kind === 'status' ? statusEvents.next().value : undefined;
        for (const event of events ?? []) await recordEvent(trx, event.type, event.data);
      }
      const received = outcomes.flatMap((outcome) => (outcome.received ? [outcome.received] : []));
      if (received.length > 0) await this.receivedHook?.(trx, received);
    }
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

/** The owner of a message from a contact to create: a later message under the very same identity is its too. */
function newContactOwner(identity: WhatsAppIdentity): string {
  return `new:${JSON.stringify([identity.waId, identity.bsuid, identity.username, identity.profileName])}`;
}

/** The ids an identity could be found by: two items sharing one could name the same contact. */
function identityKeys(identity: WhatsAppIdentity): string[] {
  return [...(identity.bsuid ? [`bsuid:${identity.bsuid}`] : []), ...(identity.waId ? [`wa_id:${identity.waId}`] : [])];
}
