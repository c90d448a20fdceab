/**
 * What a template needs filled in, read from Meta's components (`{{1}}` or `{{first_name}}` in
 * the header, body and URL buttons; a media header), whether a send's components fill exactly
 * that, and the body text as the customer sees it with the values in place.
 */
import type { JsonObject, JsonValue } from '../db/schema.js';

export type ParameterComponent = 'header' | 'body' | 'button';
export type MediaFormat = 'image' | 'video' | 'document';

export interface TemplateParameter {
  readonly component: ParameterComponent;
  /** Buttons: the button's position. */
  readonly index?: number;
  readonly name: string;
  /** A media header. */
  readonly format?: MediaFormat;
}

/** One value a send's components fail to give as the template needs, named like `body.2` or `button.1`. */
export interface ParameterProblem {
  readonly field: string;
  readonly message: string;
}

const placeholder = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const mediaFormats: readonly string[] = ['image', 'video', 'document'];

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.flatMap((item): JsonObject[] => { const object = asObject(item); return object ? [object] : []; }) : [];
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The distinct placeholders of `value`, in order of first use. */
function placeholders(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set([...value.matchAll(placeholder)].map((match) => match[1] ?? ''))];
}

/** The component of Meta's template definition of `type` (`HEADER`, `BODY`, `BUTTONS`). */
function definition(components: readonly JsonValue[], type: string): JsonObject | undefined {
  return objects([...components]).find((component) => text(component['type'])?.toUpperCase() === type);
}

/**
 * The parameters a send of the template with these `components` (Meta's definition) must fill.
 *
 * @example
 * deriveParameters([{ type: 'BODY', text: 'Hi {{1}}' }]) // [{ component: 'body', name: '1' }]
 */
export function deriveParameters(components: readonly JsonValue[]): TemplateParameter[] {
  const parameters: TemplateParameter[] = [];
  const header = definition(components, 'HEADER');
  const format = text(header?.['format'])?.toLowerCase();
  if (format && mediaFormats.includes(format)) parameters.push({ component: 'header', name: '1', format: format as MediaFormat });
  else for (const name of placeholders(text(header?.['text']))) parameters.push({ component: 'header', name });
  for (const name of placeholders(text(definition(components, 'BODY')?.['text']))) parameters.push({ component: 'body', name });
  objects(definition(components, 'BUTTONS')?.['buttons']).forEach((button, index) => {
    const type = text(button['type'])?.toUpperCase();
    if (type === 'URL') for (const name of placeholders(text(button['url']))) parameters.push({ component: 'button', index, name });
    else if (type === 'COPY_CODE') parameters.push({ component: 'button', index, name: '1' });
  });
  return parameters;
}

function fieldOf(parameter: Pick<TemplateParameter, 'component' | 'index' | 'name'>): string {
  return parameter.component === 'button' ? `button.${parameter.index ?? 0}` : `${parameter.component}.${parameter.name}`;
}

/** A value as text: a text parameter's `text`, or the fallback of a currency or date. */
function valueText(parameter: JsonObject): string | undefined {
  const type = text(parameter['type']);
  if (type === 'text') return text(parameter['text']);
  if (type === 'currency' || type === 'date_time') return text(asObject(parameter[type])?.['fallback_value']);
  if (type === 'payload') return text(parameter['payload']);
  if (type === 'coupon_code') return text(parameter['coupon_code']);
  return undefined;
}

interface GivenValue {
  readonly field: string;
  readonly parameter: JsonObject;
}

/** The values a send's components give, each named as `fieldOf` names the parameter it fills. */
function givenValues(components: readonly JsonObject[], quickReplies: ReadonlySet<number>): { values: GivenValue[]; problems: ParameterProblem[] } {
  const values: GivenValue[] = [];
  const problems: ParameterProblem[] = [];
  for (const component of components) {
    const type = text(component['type'])?.toLowerCase();
    const parameters = objects(component['parameters']);
    if (type === 'header' || type === 'body') {
      parameters.forEach((parameter, position) => {
        const named = text(parameter['parameter_name']);
        values.push({ field: `${type}.${named ?? String(position + 1)}`, parameter });
      });
    } else if (type === 'button') {
      const index = Number(component['index']);
      if (!Number.isInteger(index) || index < 0) {
        problems.push({ field: 'button', message: 'a button component needs its index' });
        continue;
      }
      // A quick reply's payload is optional: Meta sends the button's text back without one.
      if (quickReplies.has(index)) continue;
      parameters.forEach((parameter) => values.push({ field: `button.${index}`, parameter }));
    } else {
      problems.push({ field: String(component['type'] ?? 'component'), message: 'components are header, body or button' });
    }
  }
  return { values, problems };
}

function quickReplyIndexes(definitionComponents: readonly JsonValue[]): Set<number> {
  const indexes = new Set<number>();
  objects(definition(definitionComponents, 'BUTTONS')?.['buttons']).forEach((button, index) => {
    if (text(button['type'])?.toUpperCase() === 'QUICK_REPLY') indexes.add(index);
  });
  return indexes;
}

/** A media header value: `{type, <type>: {media_id | id | link}}` of the header's format. */
function mediaProblem(parameter: JsonObject, format: MediaFormat): string | undefined {
  if (text(parameter['type']) !== format) return `must be ${format === 'image' ? 'an' : 'a'} ${format}`;
  const media = asObject(parameter[format]);
  const sources = ['media_id', 'id', 'link'].filter((key) => typeof media?.[key] === 'string' && (media[key] as string).trim() !== '');
  return sources.length === 1 ? undefined : `give the ${format}'s media_id (from POST /api/v1/media), or Meta's id or a link`;
}

/**
 * Problems with a send's `components` for a template needing `parameters`: each one missing,
 * extra, misnamed, empty or of the wrong kind. Empty when they fit.
 */
export function checkValues(parameters: readonly TemplateParameter[], definitionComponents: readonly JsonValue[], components: readonly JsonObject[]): ParameterProblem[] {
  const { values, problems } = givenValues(components, quickReplyIndexes(definitionComponents));
  const expected = new Map(parameters.map((parameter) => [fieldOf(parameter), parameter]));
  const seen = new Set<string>();
  for (const value of values) {
    const parameter = expected.get(value.field);
    if (!parameter || seen.has(value.field)) {
      problems.push({ field: value.field, message: parameter ? 'given twice' : 'not a parameter of this template' });
      continue;
    }
    seen.add(value.field);
    const problem = parameter.format ? mediaProblem(value.parameter, parameter.format) : (valueText(value.parameter)?.trim() ? undefined : 'needs a non-empty text value');
    if (problem) problems.push({ field: value.field, message: problem });
  }
  for (const [field] of expected) if (!seen.has(field)) problems.push({ field, message: 'missing' });
  return problems;
}

/** The media ids (FlowChat's, from POST /api/v1/media) that a send's header names, with the header's format. */
export function headerMediaIds(components: readonly JsonObject[]): Array<{ mediaId: string; format: MediaFormat }> {
  const header = components.find((component) => text(component['type'])?.toLowerCase() === 'header');
  return objects(header?.['parameters']).flatMap((parameter) => {
    const format = text(parameter['type']);
    const mediaId = text(asObject(parameter[format ?? ''])?.['media_id']);
    return format && mediaFormats.includes(format) && mediaId ? [{ mediaId, format: format as MediaFormat }] : [];
  });
}

/**
 * The template's body text with the send's values in place, as the customer reads it; the
 * placeholder stays where no value is given. Undefined for a template without a body.
 */
export function renderBody(definitionComponents: readonly JsonValue[], components: readonly JsonObject[]): string | undefined {
  const body = text(definition(definitionComponents, 'BODY')?.['text']);
  if (body === undefined) return undefined;
  const given = objects(components.find((component) => text(component['type'])?.toLowerCase() === 'body')?.['parameters']);
  return body.replace(placeholder, (whole, name: string) => {
    const parameter = given.find((candidate) => text(candidate['parameter_name']) === name) ?? (/^\d+$/.test(name) ? given[Number(name) - 1] : undefined);
    return (parameter && valueText(parameter)) ?? whole;
  });
}
