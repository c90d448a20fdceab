/**
 * Template header media given by FlowChat media id (`{"type":"image","image":{"media_id":"…"}}`).
 * The media module owns the files: it says what kind a FlowChat media id is when a send is
 * checked, and gives the Meta media id (uploading the file once per number) when it goes out.
 * This interface is the one place the template code asks it.
 */
import type { JsonObject, JsonValue } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import type { SendRequest } from '../whatsapp/outbound/wire-format.js';

export interface HeaderMediaStore {
  /** The kind (`image`, `video`, `document`, …) of each of `ids` that exists; unknown ids are left out. */
  kindsOf(db: Executor, ids: readonly string[]): Promise<Map<string, string>>;
  /** The Meta media id to send for the FlowChat media `id` on the channel's number; throws when it cannot be had. */
  metaIdFor(id: string, channelId: string): Promise<string>;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/**
 * The request with each template header `media_id` swapped for Meta's `id`; the request itself
 * when it names none.
 */
export async function withMetaMediaIds(request: SendRequest, store: HeaderMediaStore, channelId: string): Promise<SendRequest> {
  if (request.type !== 'template' || !request.template.components) return request;
  let changed = false;
  const components: JsonValue[] = [];
  for (const component of request.template.components) {
    const object = asObject(component);
    if (!object || object['type'] !== 'header' || !Array.isArray(object['parameters'])) {
      components.push(component);
      continue;
    }
    const parameters: JsonValue[] = [];
    for (const parameter of object['parameters']) {
      const kind = asObject(parameter)?.['type'];
      const media = typeof kind === 'string' ? asObject(asObject(parameter)?.[kind]) : undefined;
      const mediaId = media?.['media_id'];
      if (typeof kind !== 'string' || typeof mediaId !== 'string' || !media) {
        parameters.push(parameter);
        continue;
      }
      const { media_id: _flowchatId, ...rest } = media;
      parameters.push({ type: kind, [kind]: { ...rest, id: await store.metaIdFor(mediaId, channelId) } });
      changed = true;
    }
    components.push({ ...object, parameters });
  }
  return changed ? { ...request, template: { ...request.template, components } } : request;
}
