/**
 * Runs the automations on inbound messages, in the transaction that stored them (the webhook
 * processor's hook), so a redelivered webhook, whose messages are duplicates and never reach
 * here, runs nothing twice, and a crash loses nothing: the rules' effects commit with the message
 * or not at all. Automatic messages are outbound and never come through here, so they trigger no
 * rule.
 *
 * For each message, every enabled rule whose trigger and conditions hold runs its actions in
 * order, rules in creation order; only the first reply queued for a message goes out (the sending
 * rules apply: nothing to an opted-out contact, no free text outside the window). An inbound
 * message reopens a closed conversation (and is then `conversation.opened`). Each run is audited
 * as `automation.ran` on the contact.
 */
import { recordAudit, systemActor } from '../audit/record-audit.js';
import type { Contact, JsonObject, Message } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentContact } from '../resources/contact.resource.js';
import type { Received } from '../whatsapp/inbound/inbound-message.service.js';
import type { MessageService } from '../messages/message.service.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { assignConversation } from './assignment.js';
import type { Action, Conditions } from './automation.schema.js';
import { AutomationRepository, type AutomationRow } from './automation.repository.js';
import { isOutsideBusinessHours, loadBusinessHours, type BusinessHours } from './business-hours.js';
import { channelOf, onChannels } from './channel-scope.js';
import { matchesKeywords } from './keyword-match.js';
import { addTags, closeConversation, firstInboundIds, reopenConversations } from './conversation-changes.js';

/** A rule with `outside_business_hours: true` answers a contact at most once in this many hours. */
export const awayReplyHours = 12;

interface ActionOutcome {
  readonly type: Action['type'];
  readonly outcome: string;
  readonly message_id?: string;
}

/** The tapped button's id (a template button: its payload), when the message is a tap. */
export function buttonIdOf(message: Message): string | undefined {
  const reply = message.metadata['reply'];
  if (message.type === 'interactive' && reply && typeof reply === 'object' && !Array.isArray(reply) && typeof reply['id'] === 'string') return reply['id'];
  const button = message.metadata['button'];
  if (message.type === 'button' && button && typeof button === 'object' && !Array.isArray(button)) {
    const payload = button['payload'] ?? button['text'];
    if (typeof payload === 'string') return payload;
  }
  return undefined;
}

function keywordsOf(conditions: Conditions): { values: readonly string[]; match: 'exact' | 'contains' } | undefined {
  const keywords = conditions.keywords;
  if (keywords === undefined) return undefined;
  if (Array.isArray(keywords)) return { values: keywords, match: conditions.match ?? 'contains' };
  return { values: keywords.values, match: keywords.match ?? conditions.match ?? 'contains' };
}

export class AutomationEngine {
  constructor(
    private readonly messages: MessageService,
    private readonly logger: Logger,
  ) {}

  /** Runs the rules on `received` (new inbound messages, in order) inside `trx`. */
  async run(trx: Executor, received: readonly Received[]): Promise<void> {
    const contacts = new Map<string, Contact>();
    // The contacts as stored with their messages, locked by this transaction: only closed ones need the statement.
    const closed = [...new Set(received.filter((item) => item.contact.conversation_status === 'closed').map((item) => item.contact.id))];
    const reopened = await reopenConversations(trx, closed);
    for (const contact of reopened) {
      contacts.set(contact.id, contact);
      await recordEvent(trx, 'contact.updated', { ...presentContact(contact) });
    }
    const rules = await new AutomationRepository(trx).listEnabled();
    if (rules.length === 0) return;
    const first = rules.some((rule) => rule.trigger === 'conversation.opened') ? await firstInboundIds(trx, received.map((item) => item.message.id)) : new Set<string>();
    let hours: BusinessHours | undefined;
    const businessHours = async (): Promise<BusinessHours> => (hours ??= await loadBusinessHours(trx));
    for (const { message, contact: stored } of received) {
      const contact = contacts.get(stored.id) ?? stored;
      const opened = first.has(message.id) || reopened.some((row) => row.id === contact.id);
      const after = await this.runRules(trx, rules, message, contact, opened, businessHours);
      if (after !== contact) {
        contacts.set(after.id, after);
        await recordEvent(trx, 'contact.updated', { ...presentContact(after) });
      }
    }
  }

  /**
   * Runs every rule that holds for one message, each in a savepoint: a rule that fails (a bug, a
   * rule the database refuses) is undone alone, logged and audited as failed, and the message and
   * the other rules stay. Returns the contact as the actions left it.
   */
  private async runRules(
    trx: Executor,
    rules: readonly AutomationRow[],
    message: Message,
    contact: Contact,
    opened: boolean,
    businessHours: () => Promise<BusinessHours>,
  ): Promise<Contact> {
    let current = contact;
    const state = { replied: false };
    for (const rule of rules) {
      const conditions = rule.conditions as Conditions;
      if (!triggered(rule, message, opened) || !(await holds(conditions, message, current, businessHours))) continue;
      const audit = (outcome: JsonObject) =>
        recordAudit(trx, {
          actor: systemActor,
          action: 'automation.ran',
          target: { type: 'contact', id: contact.id },
          details: { automation_id: rule.id, automation_name: rule.name, trigger: rule.trigger, message_id: message.id, ...outcome },
        });
      const before = { ...state };
      try {
        const ran = await transaction(trx, (savepoint) => this.runActions(savepoint, rule, conditions, message, current, state));
        current = ran.contact;
        await audit({ actions: ran.outcomes as unknown as JsonObject[] });
      } catch (error) {
        state.replied = before.replied;
        this.logger.error({ err: error, automationId: rule.id, messageId: message.id }, 'an automation failed; the message is kept without its effects');
        await audit({ failed: error instanceof Error ? error.message : String(error) });
      }
    }
    return current;
  }

  /** One rule's actions, in order; `state.replied` once a reply is queued for the message. */
  private async runActions(
    trx: Executor,
    rule: AutomationRow,
    conditions: Conditions,
    message: Message,
    contact: Contact,
    state: { replied: boolean },
  ): Promise<{ contact: Contact; outcomes: ActionOutcome[] }> {
    let current = contact;
    const outcomes: ActionOutcome[] = [];
    for (const action of rule.actions as Action[]) {
      if (action.type === 'reply') {
        if (state.replied) {
          outcomes.push({ type: 'reply', outcome: 'skipped_already_replied' });
          continue;
        }
        const reply = await this.reply(trx, rule, conditions, message, action.message);
        if (reply.message_id) state.replied = true;
        outcomes.push(reply);
      } else if (action.type === 'assign') {
        const target = 'user_id' in action ? { userId: action.user_id } : { strategy: action.strategy };
        const result = await assignConversation(trx, current.id, target, channelOf(message));
        if (result.contact) current = result.contact;
        outcomes.push({ type: 'assign', outcome: result.outcome });
      } else if (action.type === 'add_tags') {
        const changed = await addTags(trx, current.id, action.tags);
        if (changed) current = changed;
        outcomes.push({ type: 'add_tags', outcome: changed ? 'tagged' : 'unchanged' });
      } else {
        const changed = await closeConversation(trx, current.id);
        if (changed) current = changed;
        outcomes.push({ type: 'close', outcome: changed ? 'closed' : 'unchanged' });
      }
    }
    return { contact: current, outcomes };
  }

  /**
   * Queues the rule's reply in a savepoint: refused by a sending rule (or an away reply already
   * sent within 12 h), nothing of it stays.
   */
  private async reply(trx: Executor, rule: AutomationRow, conditions: Conditions, inbound: Message, body: Extract<Action, { type: 'reply' }>['message']): Promise<ActionOutcome> {
    const contactId = inbound.contact_id;
    // After the message it answers in the thread, whatever the clocks of this process and the database say.
    const createdAt = new Date(Math.max(Date.now(), inbound.created_at.getTime() + 1));
    try {
      return await transaction(trx, async (savepoint) => {
        if (conditions.outside_business_hours === true && !(await new AutomationRepository(savepoint).claimAwayReply(rule.id, contactId, awayReplyHours))) {
          return { type: 'reply', outcome: 'skipped_away_already_sent' };
        }
        const queued = await this.messages.queueAutomatic(savepoint, contactId, { ...body, channel_id: inbound.channel_id }, { metadata: { automation_id: rule.id }, created_at: createdAt });
        return { type: 'reply', outcome: 'queued', message_id: queued.id };
      });
    } catch (error) {
      if (error instanceof AppError) return { type: 'reply', outcome: error.code };
      throw error;
    }
  }
}

function triggered(rule: AutomationRow, message: Message, opened: boolean): boolean {
  if (rule.trigger === 'message.received') return true;
  if (rule.trigger === 'conversation.opened') return opened;
  return buttonIdOf(message) !== undefined;
}

async function holds(conditions: Conditions, message: Message, contact: Contact, businessHours: () => Promise<BusinessHours>): Promise<boolean> {
  const keywords = keywordsOf(conditions);
  if (keywords && !matchesKeywords(message.content ?? '', keywords.values, keywords.match)) return false;
  if (conditions.button_ids) {
    const button = buttonIdOf(message);
    if (button === undefined || !conditions.button_ids.includes(button)) return false;
  }
  if (conditions.tags && !conditions.tags.every((tag) => contact.tags.includes(tag))) return false;
  if (conditions.channel_ids && !onChannels(message, conditions.channel_ids)) return false;
  if (conditions.outside_business_hours !== undefined && isOutsideBusinessHours(await businessHours(), message.created_at) !== conditions.outside_business_hours) return false;
  return true;
}
