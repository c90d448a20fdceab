import i18next from 'i18next';
import type { Contact } from '../api/types.js';

interface Formats {
  readonly time: Intl.DateTimeFormat;
  readonly day: Intl.DateTimeFormat;
  readonly full: Intl.DateTimeFormat;
  readonly number: Intl.NumberFormat;
}

const formatsByLanguage = new Map<string, Formats>();

/**
 * Dates and numbers as the app's language writes them, in the browser's own variant of it when it
 * has one (an en-GB browser keeps its 24-hour clock in English). Built once per locale.
 */
function formats(): Formats {
  const appLanguage = i18next.language || 'en';
  const base = appLanguage.split('-')[0];
  const language = navigator.languages.find((tag) => tag.toLowerCase().split('-')[0] === base) ?? appLanguage;
  let found = formatsByLanguage.get(language);
  if (!found) {
    found = {
      time: new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }),
      day: new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' }),
      full: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
      number: new Intl.NumberFormat(language),
    };
    formatsByLanguage.set(language, found);
  }
  return found;
}

/** A contact without a name shows its phone, as the contract says. */
export function contactLabel(contact: Pick<Contact, 'name' | 'phone' | 'username'>): string {
  if (contact.name && contact.name.trim()) return contact.name;
  return contact.phone ?? (contact.username ? `@${contact.username}` : i18next.t('common.unknownContact'));
}

export function formatTime(iso: string): string {
  return formats().time.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return formats().full.format(new Date(iso));
}

/** Today's times as "14:05", older ones as "Mar 3". */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString() ? formats().time.format(date) : formats().day.format(date);
}

export function formatNumber(value: number): string {
  return formats().number.format(value);
}

/** "3 h 12 min", "45 s": short durations for windows and response times. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} d ${hours % 24} h`;
}

/** Splits "a, b; c" into trimmed, lowercased, distinct tags, as the server stores them. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;]/)
        .map((tag) => tag.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}
