/**
 * Interactive messages (reply buttons and lists) as FlowChat takes them, checked against Meta's
 * limits before anything is stored, and as the Cloud API wants them on the wire.
 */
import type { JsonObject } from '../db/schema.js';
import { AppError } from '../shared/errors.js';

export interface ReplyButton {
  readonly id: string;
  readonly title: string;
}

export interface ListRow {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export interface ListSection {
  readonly title?: string;
  readonly rows: readonly ListRow[];
}

interface InteractiveBase {
  readonly body: string;
  /** Text shown above the body. */
  readonly header?: string;
  readonly footer?: string;
}

export type InteractiveInput =
  | (InteractiveBase & { readonly type: 'button'; readonly buttons: readonly ReplyButton[] })
  | (InteractiveBase & { readonly type: 'list'; readonly button: string; readonly sections: readonly ListSection[] });

interface Problem {
  readonly field: string;
  readonly message: string;
}

/** Meta's limits (characters, counts). */
export const limits = {
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonId: 256,
  buttonTitle: 20,
  listButton: 20,
  rows: 10,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  sectionTitle: 24,
} as const;

function checkText(problems: Problem[], field: string, value: string | undefined, max: number, required: boolean): void {
  if (value === undefined) {
    if (required) problems.push({ field, message: 'is required' });
    return;
  }
  if (value.trim() === '') problems.push({ field, message: 'cannot be blank' });
  else if ([...value].length > max) problems.push({ field, message: `at most ${max} characters` });
}

function checkUnique(problems: Problem[], field: string, values: readonly string[]): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) problems.push({ field: `${field.replace('#', String(index))}`, message: 'must be unique' });
    seen.add(value);
  });
}

/**
 * Throws a 400 `validation_failed` naming every field of `input` over one of Meta's limits
 * (`details: [{field, message}]`); `prefix` is where the object sits in the request.
 */
export function checkInteractive(input: InteractiveInput, prefix = 'interactive'): void {
  const problems: Problem[] = [];
  checkText(problems, `${prefix}.body`, input.body, limits.body, true);
  checkText(problems, `${prefix}.header`, input.header, limits.header, false);
  checkText(problems, `${prefix}.footer`, input.footer, limits.footer, false);
  if (input.type === 'button') {
    if (input.buttons.length < 1 || input.buttons.length > limits.buttons) problems.push({ field: `${prefix}.buttons`, message: `1 to ${limits.buttons} buttons` });
    input.buttons.forEach((button, index) => {
      checkText(problems, `${prefix}.buttons[${index}].id`, button.id, limits.buttonId, true);
      checkText(problems, `${prefix}.buttons[${index}].title`, button.title, limits.buttonTitle, true);
    });
    checkUnique(problems, `${prefix}.buttons[#].id`, input.buttons.map((button) => button.id));
    checkUnique(problems, `${prefix}.buttons[#].title`, input.buttons.map((button) => button.title.trim().toLowerCase()));
  } else {
    checkText(problems, `${prefix}.button`, input.button, limits.listButton, true);
    const rows = input.sections.flatMap((section, sectionIndex) => section.rows.map((row, rowIndex) => ({ row, field: `${prefix}.sections[${sectionIndex}].rows[${rowIndex}]` })));
    if (input.sections.length < 1) problems.push({ field: `${prefix}.sections`, message: 'at least one section' });
    if (rows.length < 1 || rows.length > limits.rows) problems.push({ field: `${prefix}.sections`, message: `1 to ${limits.rows} rows in all` });
    input.sections.forEach((section, index) => {
      checkText(problems, `${prefix}.sections[${index}].title`, section.title, limits.sectionTitle, input.sections.length > 1);
    });
    for (const { row, field } of rows) {
      checkText(problems, `${field}.id`, row.id, limits.rowId, true);
      checkText(problems, `${field}.title`, row.title, limits.rowTitle, true);
      checkText(problems, `${field}.description`, row.description, limits.rowDescription, false);
    }
    const seen = new Set<string>();
    for (const { row, field } of rows) {
      if (seen.has(row.id)) problems.push({ field: `${field}.id`, message: 'must be unique' });
      seen.add(row.id);
    }
  }
  if (problems.length > 0) {
    throw new AppError('validation_failed', `Invalid ${[...new Set(problems.map((problem) => problem.field))].slice(0, 5).join(', ')}: ${problems[0]?.message ?? ''}`, problems);
  }
}

/** The interactive object as stored on the message (exactly the fields given). */
export function storedInteractive(input: InteractiveInput): JsonObject {
  return JSON.parse(JSON.stringify(input)) as JsonObject;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((item): item is JsonObject => item !== null && typeof item === 'object' && !Array.isArray(item)) : [];
}

/** The Cloud API's `interactive` object for a stored one; undefined when it is not one FlowChat sends. */
export function interactiveWire(stored: JsonObject | null | undefined): JsonObject | undefined {
  const body = text(stored?.['body']);
  if (!stored || !body) return undefined;
  const header = text(stored['header']);
  const footer = text(stored['footer']);
  const frame: JsonObject = {
    ...(header ? { header: { type: 'text', text: header } } : {}),
    body: { text: body },
    ...(footer ? { footer: { text: footer } } : {}),
  };
  if (stored['type'] === 'button') {
    const buttons = objects(stored['buttons']).map((button) => ({ type: 'reply', reply: { id: String(button['id']), title: String(button['title']) } }));
    return { type: 'button', ...frame, action: { buttons } };
  }
  if (stored['type'] === 'list') {
    const sections = objects(stored['sections']).map((section) => ({
      ...(text(section['title']) ? { title: String(section['title']) } : {}),
      rows: objects(section['rows']).map((row) => ({ id: String(row['id']), title: String(row['title']), ...(text(row['description']) ? { description: String(row['description']) } : {}) })),
    }));
    return { type: 'list', ...frame, action: { button: String(stored['button'] ?? ''), sections } };
  }
  return undefined;
}
