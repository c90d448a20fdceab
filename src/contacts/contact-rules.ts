/**
 * The rules every way of writing a contact shares (the API and the CSV import): the phone in
 * E.164, tags trimmed, lowercased and deduplicated within limits, metadata within its size.
 * Each throws a 400 naming the field.
 */
import type { JsonObject } from '../db/schema.js';
import { AppError, invalidField } from '../shared/errors.js';
import { toE164 } from '../shared/phone.js';

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
export const MAX_METADATA_BYTES = 16 * 1024;

export function normalizePhone(input: string, defaultCountry: string | undefined): string {
  const phone = toE164(input, defaultCountry);
  if (phone === undefined) {
    const hint = defaultCountry === undefined && !input.trim().startsWith('+') ? ' (write it with + and the country code)' : '';
    throw new AppError('invalid_phone', `The phone number "${input.trim().slice(0, 64)}" cannot be parsed${hint}`, [{ field: 'phone', message: 'is not a phone number' }]);
  }
  return phone;
}

/** Trimmed and lowercased, blanks dropped, duplicates removed, first occurrence first. */
export function normalizeTags(tags: readonly string[], field = 'tags'): string[] {
  const normalized = [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
  const long = normalized.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (long !== undefined) throw invalidField(field, `a tag has more than ${MAX_TAG_LENGTH} characters ("${long.slice(0, 20)}…")`);
  // A comma would make the tag impossible to filter by: the list takes `tags=a,b`.
  if (normalized.some((tag) => tag.includes(','))) throw invalidField(field, 'a tag cannot contain a comma');
  checkTagCount(normalized.length, field);
  return normalized;
}

function checkTagCount(count: number, field = 'tags'): void {
  if (count > MAX_TAGS) throw invalidField(field, `at most ${MAX_TAGS} tags, got ${count}`);
}

export function metadataBytes(metadata: JsonObject): number {
  return Buffer.byteLength(JSON.stringify(metadata));
}

export function checkMetadataSize(metadata: JsonObject, field = 'metadata'): void {
  const bytes = metadataBytes(metadata);
  if (bytes > MAX_METADATA_BYTES) throw invalidField(field, `at most ${MAX_METADATA_BYTES} bytes of JSON, got ${bytes}`);
}

/** A name is optional but never blank: blank input means "no name". */
export function normalizeName(name: string | null | undefined): string | null | undefined {
  if (name === undefined || name === null) return name;
  const trimmed = name.trim();
  return trimmed === '' ? null : trimmed;
}

// The pattern of the API's `format: "email"` (ajv-formats, full mode), so the CSV import accepts
// exactly the addresses the API accepts.
const emailPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function isEmail(text: string): boolean {
  return text.length <= 255 && emailPattern.test(text);
}
