/**
 * Reads a WABA's templates from the Cloud API: `GET {apiUrl}/{waba id}/message_templates` with
 * the bearer token of a channel of that WABA (given per call) and the request timeout, every page followed through `paging.next`. A `next`
 * pointing anywhere but the configured API's origin is not followed: the token goes to Meta only.
 */
import type { JsonObject, JsonValue } from '../db/schema.js';
import { deriveParameters } from './template-parameters.js';
import type { TemplateRow } from './template.repository.js';

export interface MetaTemplateClientOptions {
  readonly apiUrl: string;
  readonly timeoutMs: number;
}

/** Meta refused the listing or could not be reached; the message says which, never the token. */
export class TemplateFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateFetchError';
  }
}

const fields = 'id,name,language,status,category,components,rejected_reason';
/** A WABA holds at most 250 templates; this many pages means Meta's paging loops. */
const maxPages = 200;

function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** One template of Meta's listing as a catalogue row; undefined without a name and language. */
export function templateRow(raw: JsonObject): TemplateRow | undefined {
  const name = stringOf(raw['name']);
  const language = stringOf(raw['language']);
  if (!name || !language) return undefined;
  const components = Array.isArray(raw['components']) ? raw['components'] : [];
  const reason = stringOf(raw['rejected_reason']);
  return {
    meta_id: stringOf(raw['id']) ?? null,
    name,
    language,
    category: stringOf(raw['category']) ?? null,
    status: (stringOf(raw['status']) ?? 'PENDING').toUpperCase(),
    components,
    parameters: deriveParameters(components).map((parameter) => ({ ...parameter })),
    rejected_reason: reason && reason !== 'NONE' ? reason : null,
  };
}

export class MetaTemplateClient {
  constructor(private readonly options: MetaTemplateClientOptions) {}

  /** Every template of the WABA, all pages, read with `accessToken`. */
  async fetchAll(businessAccountId: string, accessToken: string): Promise<TemplateRow[]> {
    const base = new URL(`${this.options.apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(businessAccountId)}/message_templates`);
    base.searchParams.set('fields', fields);
    base.searchParams.set('limit', '100');
    const rows: TemplateRow[] = [];
    let next: URL | undefined = base;
    for (let page = 0; next; page += 1) {
      if (page >= maxPages) throw new TemplateFetchError(`message_templates paging did not end after ${maxPages} pages`);
      const body = await this.get(next, accessToken);
      const data = body['data'];
      for (const item of Array.isArray(data) ? data : []) {
        const row = asObject(item) && templateRow(asObject(item) as JsonObject);
        if (row) rows.push(row);
      }
      next = this.nextPage(stringOf(asObject(body['paging'])?.['next']), base);
    }
    return rows;
  }

  private nextPage(next: string | undefined, base: URL): URL | undefined {
    if (!next) return undefined;
    let url: URL;
    try {
      url = new URL(next);
    } catch {
      throw new TemplateFetchError('message_templates answered a paging.next that is not a URL');
    }
    if (url.origin !== base.origin) throw new TemplateFetchError(`message_templates paging.next points to another host (${url.host}); not followed`);
    return url;
  }

  private async get(url: URL, accessToken: string): Promise<JsonObject> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${accessToken}`, 'user-agent': 'FlowChat' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new TemplateFetchError(`message_templates could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let body: JsonObject | undefined;
    try {
      body = asObject(JSON.parse(text));
    } catch {
      body = undefined;
    }
    const error = asObject(body?.['error']);
    if (!response.ok || error || !body) {
      const detail = error ? `${String(error['code'] ?? '')} ${String(error['message'] ?? '')}`.trim() : `HTTP ${response.status}`;
      throw new TemplateFetchError(`message_templates was refused: ${detail}`);
    }
    return body;
  }
}
