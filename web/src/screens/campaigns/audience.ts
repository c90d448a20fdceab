import type { Audience } from '../../api/types.js';
import { parseTags } from '../../lib/format.js';

export interface AudienceDraft {
  readonly tags: string;
  readonly match: 'all' | 'any';
  /** One `key=value` per line; `value` may list alternatives as `a|b`, or be `*` for "has the key". */
  readonly metadata: string;
  /** Only contacts who wrote in within this many days; empty for no limit. */
  readonly recentDays: string;
}

export const EMPTY_AUDIENCE: AudienceDraft = { tags: '', match: 'all', metadata: '', recentDays: '' };

export function audienceFromDraft(draft: AudienceDraft): Audience {
  const metadata: Record<string, NonNullable<Audience['metadata']>[string]> = {};
  for (const line of draft.metadata.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    const values = line
      .slice(at + 1)
      .split('|')
      .map((value) => value.trim())
      .filter(Boolean);
    if (!key || values.length === 0) continue;
    metadata[key] = values.length > 1 ? values : values[0] === '*' ? { exists: true } : (values[0] as string);
  }
  const days = Number.parseInt(draft.recentDays, 10);
  return {
    tags: parseTags(draft.tags),
    match: draft.match,
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(days > 0 ? { last_inbound_within_days: days } : {}),
  };
}

function conditionText(value: NonNullable<Audience['metadata']>[string]): string {
  if (Array.isArray(value)) return value.join('|');
  if (typeof value === 'object' && value !== null && 'exists' in value) return value.exists ? '*' : '';
  return String(value);
}

export function draftFromAudience(audience: Audience): AudienceDraft {
  const metadata = Object.entries(audience.metadata ?? {})
    .map(([key, value]) => `${key}=${conditionText(value)}`)
    .join('\n');
  return {
    tags: (audience.tags ?? []).join(', '),
    match: audience.match ?? 'all',
    metadata,
    recentDays: audience.last_inbound_within_days ? String(audience.last_inbound_within_days) : '',
  };
}
