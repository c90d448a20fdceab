/**
 * A stored webhook body read as items: the body parsed (defensively: NULs dropped, absurd nesting
 * ignored) and walked into its messages, statuses, preferences and template updates, in the order
 * processing one event after another would apply them.
 */
import type { JsonObject } from '../../db/schema.js';
import { nestedDeeperThan } from '../../shared/json-depth.js';
import type { TemplateStatusUpdate } from '../../templates/template-catalogue.js';
import { objectAt, objectsAt, stringAt } from './webhook-payload.js';

/** One item of a stored webhook, in the order processing one event after another would apply it. */
export type Item =
  | { readonly kind: 'message'; readonly raw: JsonObject; readonly profiles: readonly JsonObject[]; readonly channelId: string }
  | { readonly kind: 'status'; readonly raw: JsonObject }
  | { readonly kind: 'preference'; readonly raw: JsonObject }
  | { readonly kind: 'template'; readonly update: TemplateStatusUpdate };

/**
 * Every item of a webhook body, in order; nothing for a body that is not a WhatsApp one. `channelOf`
 * names the channel of a change's value (undefined: no channel serves it, the change is skipped).
 */
export function itemsOf(payload: JsonObject | undefined, channelOf: (value: JsonObject | undefined) => string | undefined): Item[] {
  if (!payload || stringAt(payload, 'object') !== 'whatsapp_business_account') return [];
  const items: Item[] = [];
  for (const entry of objectsAt(payload, 'entry')) {
    for (const change of objectsAt(entry, 'changes')) {
      const value = objectAt(change, 'value');
      const channelId = channelOf(value);
      if (!value || channelId === undefined) continue;
      const field = stringAt(change, 'field');
      if (field === 'messages') {
        const profiles = objectsAt(value, 'contacts');
        for (const raw of objectsAt(value, 'messages')) items.push({ kind: 'message', raw, profiles, channelId });
        for (const raw of objectsAt(value, 'statuses')) items.push({ kind: 'status', raw });
      } else if (field === 'user_preferences') {
        for (const raw of objectsAt(value, 'user_preferences')) items.push({ kind: 'preference', raw });
      } else if (field === 'message_template_status_update') {
        const businessAccountId = stringAt(entry, 'id');
        if (businessAccountId) items.push({ kind: 'template', update: { businessAccountId, value } });
      }
    }
  }
  return items;
}

/** PostgreSQL text and jsonb cannot hold U+0000, so a NUL in any string would make the event fail forever. */
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

/**
 * Meta's payloads nest about ten levels; far deeper, a body is ignored, as the walks after parsing
 * (the driver, the presenters) would overflow the stack a few thousand levels down and the event
 * would fail forever.
 */
const maxBodyDepth = 256;

/** The stored body, or undefined (ignored) when it cannot be read or nests too deep to walk. */
export function parseBody(body: string): unknown {
  let parsed: unknown;
  try {
    // A NUL can only arrive escaped; a reviver makes parsing several times slower, so only then.
    parsed = body.includes('\\u0000') ? JSON.parse(body, withoutNul) : JSON.parse(body);
  } catch {
    return undefined;
  }
  return nestedDeeperThan(parsed, maxBodyDepth) ? undefined : parsed;
}
