/** How a resource shows a time that may be unset: ISO 8601 in UTC, or null. */
export function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
