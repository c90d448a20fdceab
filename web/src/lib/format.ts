import type { Contact } from '../api/types.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

/** A contact without a name shows its phone, as the contract says. */
export function contactLabel(contact: Pick<Contact, 'name' | 'phone' | 'username'>): string {
  if (contact.name && contact.name.trim()) return contact.name;
  return contact.phone ?? (contact.username ? `@${contact.username}` : 'Unknown contact');
}

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return fullFormat.format(new Date(iso));
}

/** Today's times as "14:05", older ones as "Mar 3". */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayFormat.format(date);
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
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
