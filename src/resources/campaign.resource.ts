/**
 * Campaigns, segments and recipient report rows as the REST API, the event stream and outbound
 * webhooks show them.
 */
import type { CampaignCounts } from '../db/repositories/campaign.repository.js';
import type { RecipientRow, RecipientStatus } from '../db/repositories/campaign-recipient.repository.js';
import type { Campaign, CampaignStatus, JsonObject, Segment } from '../db/schema.js';
import { isoOrNull } from './iso-time.js';

export interface CampaignResource {
  id: string;
  name: string;
  status: CampaignStatus;
  /** Messages enqueued: one per recipient. */
  total: number;
  /** Contacts of the audience that got no message (a template variable they lack). */
  skipped: number;
  counts: CampaignCounts;
  template: JsonObject;
  audience: JsonObject;
  segment_id: string | null;
  channel_id: string;
  scheduled_at: string | null;
  started_at: string | null;
  paused_at: string | null;
  /** Why it paused by itself (`template_paused`); null when a person paused it. */
  paused_reason: string | null;
  finished_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SegmentResource {
  id: string;
  name: string;
  filter: JsonObject;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecipientResource {
  contact_id: string;
  phone: string | null;
  name: string | null;
  message_id: string | null;
  status: RecipientStatus;
  reason: string | null;
  detail: string | null;
  error: { code: string; message: string; title?: string } | null;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  updated_at: string;
}

export function presentCampaign(campaign: Campaign, counts: CampaignCounts): CampaignResource {
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    total: campaign.total,
    skipped: campaign.skipped,
    counts,
    template: campaign.template,
    audience: campaign.audience,
    segment_id: campaign.segment_id,
    channel_id: campaign.channel_id,
    scheduled_at: isoOrNull(campaign.scheduled_at),
    started_at: isoOrNull(campaign.started_at),
    paused_at: isoOrNull(campaign.paused_at),
    paused_reason: campaign.paused_reason,
    finished_at: isoOrNull(campaign.finished_at),
    created_by: campaign.created_by,
    created_at: campaign.created_at.toISOString(),
    updated_at: campaign.updated_at.toISOString(),
  };
}

export function presentSegment(segment: Segment): SegmentResource {
  return {
    id: segment.id,
    name: segment.name,
    filter: segment.filter,
    created_by: segment.created_by,
    created_at: segment.created_at.toISOString(),
    updated_at: segment.updated_at.toISOString(),
  };
}

export function presentRecipient(row: RecipientRow): RecipientResource {
  return {
    contact_id: row.contact_id,
    phone: row.phone,
    name: row.name,
    message_id: row.message_id,
    status: row.status,
    reason: row.reason,
    detail: row.detail,
    error: row.error_code
      ? {
          code: row.error_code,
          message: row.error_message ?? row.error_title ?? row.error_code,
          ...(row.error_title ? { title: row.error_title } : {}),
        }
      : null,
    sent_at: isoOrNull(row.sent_at),
    delivered_at: isoOrNull(row.delivered_at),
    read_at: isoOrNull(row.read_at),
    failed_at: isoOrNull(row.failed_at),
    updated_at: row.updated_at.toISOString(),
  };
}
