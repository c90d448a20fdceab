/**
 * Safe reading of webhook JSON. Meta's payloads are untrusted input whose optional fields come and
 * go between API versions, so every access checks the shape it expects and yields undefined
 * otherwise, instead of trusting a static type.
 */
import type { JsonObject, JsonValue } from '../../db/schema.js';

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function objectAt(value: JsonObject | undefined, key: string): JsonObject | undefined {
  return asObject(value?.[key]);
}

export function stringAt(value: JsonObject | undefined, key: string): string | undefined {
  const found = value?.[key];
  return typeof found === 'string' ? found : typeof found === 'number' ? String(found) : undefined;
}

export function numberAt(value: JsonObject | undefined, key: string): number | undefined {
  const found = value?.[key];
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && /^-?\d+(\.\d+)?$/.test(found)) return Number(found);
  return undefined;
}

/** The objects of an array field; anything else in it is skipped. */
export function objectsAt(value: JsonObject | undefined, key: string): JsonObject[] {
  const found: JsonValue | undefined = value?.[key];
  return Array.isArray(found) ? found.map(asObject).filter((item): item is JsonObject => item !== undefined) : [];
}

/** A Unix-seconds timestamp string as a Date, never later than now (a skewed clock cannot hold a window open). */
export function timestampAt(value: JsonObject | undefined, key: string, now = Date.now()): Date {
  const seconds = numberAt(value, key);
  if (seconds === undefined || seconds <= 0) return new Date(now);
  return new Date(Math.min(seconds * 1000, now));
}

/** Delivered later than this, a message keeps WhatsApp's timestamp; sooner, the arrival time orders the thread. */
const lateDeliveryMs = 5_000;

/**
 * When an inbound message belongs in the thread: WhatsApp's timestamp has whole seconds only, so a
 * reply that arrives at once is placed at its arrival (after an agent's message of the same
 * second); one delivered late (after an outage) keeps the time it was written.
 */
export function arrivalAt(value: JsonObject | undefined, key: string, now = Date.now()): Date {
  const written = timestampAt(value, key, now);
  return now - written.getTime() > lateDeliveryMs ? written : new Date(now);
}

/** `errors[0]` of a status or message, as FlowChat stores it. */
export interface WebhookError {
  readonly code: string;
  readonly title: string | undefined;
  readonly details: string | undefined;
}

export function firstError(value: JsonObject | undefined): WebhookError | undefined {
  const [error] = objectsAt(value, 'errors');
  if (!error) return undefined;
  const code = stringAt(error, 'code');
  if (code === undefined) return undefined;
  return {
    code,
    title: stringAt(error, 'title') ?? stringAt(error, 'message'),
    details: stringAt(objectAt(error, 'error_data'), 'details'),
  };
}
