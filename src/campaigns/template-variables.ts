/**
 * Per-contact variables in a campaign's template: `{{name}}`, `{{phone}}`, `{{email}}` and
 * `{{metadata.KEY}}` anywhere in the components' strings. They are resolved in SQL while the
 * campaign is enqueued: each variable becomes a numbered token (`{{#0}}`) in the template's JSON
 * text, and every recipient's row replaces the tokens with its JSON-escaped values. A contact
 * lacking a value is skipped, never sent a message with a hole in it.
 */
import { sql, type RawBuilder } from 'kysely';
import type { JsonObject, JsonValue } from '../db/schema.js';
import { invalidField } from '../shared/errors.js';

export interface CampaignTemplate {
  readonly name: string;
  readonly language: string;
  readonly components?: readonly JsonObject[];
}

export interface PreparedTemplate {
  /** The template as stored on each message, variables replaced by their tokens, as JSON text. */
  readonly json: string;
  /** The distinct variables in order of first use: variable `i` has the token `{{#i}}`. */
  readonly variables: readonly string[];
}

const MAX_VARIABLES = 20;
const contactFields = ['name', 'phone', 'email'] as const;
const placeholder = /\{\{([^{}]*)\}\}/g;

function tokenOf(index: number): string {
  return `{{#${index}}}`;
}

/** `{{ metadata.city }}` → `metadata.city`; undefined for anything that is not a known variable. */
function variableName(inner: string): string | undefined {
  const trimmed = inner.trim();
  if ((contactFields as readonly string[]).includes(trimmed)) return trimmed;
  const match = /^metadata\.(.+)$/s.exec(trimmed);
  const key = match?.[1]?.trim();
  return key ? `metadata.${key}` : undefined;
}

/**
 * Finds the variables in `template`'s components and swaps them for tokens. Throws a 400 naming
 * any `{{…}}` that is not a known variable.
 */
export function prepareTemplate(template: CampaignTemplate): PreparedTemplate {
  const variables: string[] = [];
  const unknown = new Set<string>();
  const swap = (text: string): string =>
    text.replace(placeholder, (whole, inner: string) => {
      const name = variableName(inner);
      if (name === undefined) {
        unknown.add(whole);
        return whole;
      }
      let index = variables.indexOf(name);
      if (index < 0) index = variables.push(name) - 1;
      return tokenOf(index);
    });
  const walk = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') return swap(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    return value;
  };
  const components = template.components?.map((component) => walk(component));
  if (unknown.size > 0) {
    throw invalidField(
      'template.components',
      `unknown variables ${[...unknown].slice(0, 5).join(', ')}: use {{name}}, {{phone}}, {{email}} or {{metadata.KEY}}`,
    );
  }
  if (variables.length > MAX_VARIABLES) throw invalidField('template.components', `at most ${MAX_VARIABLES} different variables`);
  const stored = { name: template.name, language: template.language, ...(components ? { components } : {}) };
  return { json: JSON.stringify(stored), variables };
}

/**
 * `text` (a template's rendered body) with each known variable swapped for its token in
 * `template.variables`; a variable the template's components do not use stays as written.
 */
export function tokenizeText(text: string, template: PreparedTemplate): string {
  return text.replace(placeholder, (whole, inner: string) => {
    const name = variableName(inner);
    const index = name === undefined ? -1 : template.variables.indexOf(name);
    return index < 0 ? whole : tokenOf(index);
  });
}

/** `text` (tokenized) with each token replaced by the raw value in `columns[i]` (which holds `to_json(value)::text`). */
export function renderedText(text: string, columns: readonly string[]): RawBuilder<string> {
  let rendered: RawBuilder<string> = sql<string>`${text}::text`;
  columns.forEach((column, index) => {
    rendered = sql<string>`replace(${rendered}, ${tokenOf(index)}::text, ${sql.ref(column)}::json #>> '{}')`;
  });
  return rendered;
}

/**
 * A variable's value for the contact aliased `alias`, as text, or NULL when the contact has none:
 * a missing field, a missing or blank metadata value, or one that is an object or a list.
 */
export function variableValue(variable: string, alias = 'c'): RawBuilder<string | null> {
  if (variable.startsWith('metadata.')) {
    const key = variable.slice('metadata.'.length);
    const metadata = sql.ref(`${alias}.metadata`);
    return sql<string | null>`CASE WHEN jsonb_typeof(${metadata} -> ${key}::text) IN ('string', 'number', 'boolean')
      THEN nullif(btrim(${metadata} ->> ${key}::text), '') END`;
  }
  const field = contactFields.find((candidate) => candidate === variable);
  if (field === undefined) throw new Error(`Unknown template variable ${variable}`);
  return sql<string | null>`${sql.ref(`${alias}.${field}`)}`;
}

/**
 * The per-recipient template as jsonb: `template.json` with each token replaced by the column
 * `columns[i]`, which holds `to_json(value)::text` (a quoted, escaped JSON string).
 */
export function renderedTemplate(template: PreparedTemplate, columns: readonly string[]): RawBuilder<string> {
  let text: RawBuilder<string> = sql<string>`${template.json}::text`;
  template.variables.forEach((_, index) => {
    const column = sql.ref(columns[index] ?? '');
    text = sql<string>`replace(${text}, ${tokenOf(index)}::text, substr(${column}, 2, length(${column}) - 2))`;
  });
  return sql<string>`(${text})::jsonb`;
}
