/**
 * The parts of a send beyond text, worked out before anything is stored: interactive bodies
 * checked against Meta's limits (400 naming the field), `reply_to` resolved to a sent message of
 * the same thread (422 `reply_target_not_found`) whose wamid goes out as `context.message_id`,
 * and template sends checked against the catalogue with their body rendered as `content`.
 */
import type { JsonObject, NewMessage } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { checkInteractive, storedInteractive, type InteractiveInput } from '../interactive/interactive-message.js';
import { AppError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { TemplateCatalogue, TemplateSend } from '../templates/template-catalogue.js';

export interface PreparedItem {
  readonly contact_id: string;
  readonly type: string;
  readonly reply_to?: string;
  readonly interactive?: InteractiveInput;
  readonly template?: TemplateSend;
}

/** Columns each item's row gets besides the plain ones. */
export type RowExtras = Pick<NewMessage, 'reply_to_id' | 'interactive' | 'metadata' | 'content'>;

/** Throws 400 for the first interactive item over a limit; `bulk` names the item (`messages[2].interactive.body`). */
export function checkInteractiveItems(items: readonly PreparedItem[], bulk: boolean): void {
  items.forEach((item, index) => {
    if (item.type === 'interactive' && item.interactive) checkInteractive(item.interactive, bulk ? `messages[${index}].interactive` : 'interactive');
  });
}

/**
 * Each item's extra columns, or a 422 for an unknown quote or a template the catalogue of its
 * channel (`channelIds`, one per item) refuses.
 */
export async function prepareExtras(db: Executor, items: readonly PreparedItem[], channelIds: readonly string[], templates: TemplateCatalogue | undefined): Promise<RowExtras[]> {
  const quoted = [...new Set(items.flatMap((item) => (item.reply_to ? [item.reply_to] : [])))];
  const valid = quoted.filter(isUuid);
  const targets = new Map(
    (valid.length > 0 ? await db.selectFrom('messages').select(['id', 'contact_id', 'external_id']).where('id', 'in', valid).execute() : []).map((row) => [row.id, row]),
  );
  const unknown = items.filter((item) => {
    if (!item.reply_to) return false;
    const target = targets.get(item.reply_to);
    return !target || target.contact_id !== item.contact_id || !target.external_id;
  });
  if (unknown.length > 0) throw new AppError('reply_target_not_found', undefined, { reply_to: [...new Set(unknown.map((item) => item.reply_to))] });

  const templated = items.flatMap((item, index) => (item.type === 'template' && item.template ? [{ index, send: { channelId: channelIds[index] ?? '', template: item.template } }] : []));
  const contents = templates ? await templates.prepare(db, templated.map((entry) => entry.send)) : [];
  const contentOf = new Map(templated.map((entry, position) => [entry.index, contents[position] ?? null]));

  return items.map((item, index) => {
    const wamid = item.reply_to ? targets.get(item.reply_to)?.external_id : undefined;
    const extras: { -readonly [K in keyof RowExtras]: RowExtras[K] } = {};
    if (item.reply_to && wamid) {
      extras.reply_to_id = item.reply_to;
      extras.metadata = { context: { message_id: wamid } } satisfies JsonObject;
    }
    if (item.type === 'interactive' && item.interactive) {
      extras.interactive = storedInteractive(item.interactive);
      extras.content = item.interactive.body;
    }
    const content = contentOf.get(index);
    if (content) extras.content = content;
    return extras;
  });
}
