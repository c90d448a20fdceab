/**
 * Business hours: an IANA time zone, opening intervals per weekday and closed dates; whether a
 * moment falls outside them. Stored in one row (`business_hours`); without it, the defaults below.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { invalidField } from '../shared/errors.js';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

export interface BusinessHours {
  readonly timezone: string;
  /** Per weekday, `[start, end]` pairs of `HH:MM` (end may be `24:00`), end after start. */
  readonly week: Partial<Record<Weekday, Array<[string, string]>>>;
  /** `YYYY-MM-DD` in the time zone: closed all day. */
  readonly closed_dates: string[];
}

const nineToSix = (): Array<[string, string]> => [['09:00', '18:00']];

/** Monday to Friday, 9:00 to 18:00 UTC. */
export function defaultBusinessHours(): BusinessHours {
  return { timezone: 'UTC', week: { mon: nineToSix(), tue: nineToSix(), wed: nineToSix(), thu: nineToSix(), fri: nineToSix(), sat: [], sun: [] }, closed_dates: [] };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for `timezone`, or undefined when Intl does not know the name. */
function formatFor(timezone: string): Intl.DateTimeFormat | undefined {
  const cached = formats.get(timezone);
  if (cached) return cached;
  try {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formats.set(timezone, format);
    return format;
  } catch {
    return undefined;
  }
}

export function isTimeZone(name: string): boolean {
  return formatFor(name) !== undefined;
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Whether `at` is outside the hours: a closed date, or no interval of that weekday holds it. */
export function isOutsideBusinessHours(hours: BusinessHours, at: Date): boolean {
  const format = formatFor(hours.timezone) ?? formatFor('UTC');
  const parts = Object.fromEntries((format as Intl.DateTimeFormat).formatToParts(at).map((part) => [part.type, part.value]));
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  if (hours.closed_dates.includes(date)) return true;
  const day = (parts['weekday'] ?? '').toLowerCase().slice(0, 3) as Weekday;
  const now = Number(parts['hour']) * 60 + Number(parts['minute']);
  return !(hours.week[day] ?? []).some(([start, end]) => now >= minutes(start) && now < minutes(end));
}

const timePattern = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** Years 1 to 9999: PostgreSQL has no year 0. */
const datePattern = /^(?!0000)\d{4}-\d{2}-\d{2}$/;

/** Checks what a schema cannot (the zone's name, real dates, end after start); 400 naming the field. */
export function checkBusinessHours(hours: BusinessHours): BusinessHours {
  if (!isTimeZone(hours.timezone)) throw invalidField('timezone', `"${hours.timezone.slice(0, 64)}" is not an IANA time zone`);
  for (const day of weekdays) {
    for (const [index, interval] of (hours.week[day] ?? []).entries()) {
      const [start, end] = interval;
      if (!timePattern.test(start) || !timePattern.test(end) || minutes(end) <= minutes(start)) {
        throw invalidField(`week.${day}[${index}]`, 'an interval is ["HH:MM", "HH:MM"] with the end after the start');
      }
    }
  }
  for (const date of hours.closed_dates) {
    const parsed = new Date(`${date}T00:00:00Z`);
    if (!datePattern.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
      throw invalidField('closed_dates', `"${date.slice(0, 20)}" is not a date (YYYY-MM-DD)`);
    }
  }
  return { timezone: hours.timezone, week: hours.week, closed_dates: [...new Set(hours.closed_dates)].sort() };
}

/** The stored hours, or the defaults. */
export async function loadBusinessHours(db: Executor): Promise<BusinessHours> {
  const row = await db
    .selectFrom('business_hours')
    .select(['timezone', 'week', sql<string[]>`array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(closed_dates) d ORDER BY d)`.as('closed_dates')])
    .executeTakeFirst();
  return row ? { timezone: row.timezone, week: row.week as BusinessHours['week'], closed_dates: row.closed_dates } : defaultBusinessHours();
}

export async function saveBusinessHours(db: Executor, hours: BusinessHours): Promise<BusinessHours> {
  const checked = checkBusinessHours(hours);
  const values = { id: 1, timezone: checked.timezone, week: JSON.stringify(checked.week), closed_dates: [...checked.closed_dates], updated_at: sql<Date>`now()` };
  await db
    .insertInto('business_hours')
    .values(values)
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ timezone: values.timezone, week: values.week, closed_dates: values.closed_dates, updated_at: values.updated_at }))
    .execute();
  return checked;
}
