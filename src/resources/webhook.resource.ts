/**
 * Webhooks and their deliveries as the REST API shows them. The secret never appears here: only
 * the create answer carries it, once. An endpoint's `health` says whether it keeps failing.
 */
import type { WebhookDeliveryStatus } from '../db/schema.js';
import type { AttemptRow, DeliveryWithAttempts } from '../outbound-webhooks/delivery.repository.js';
import type { WebhookRow } from '../outbound-webhooks/webhook.repository.js';
import { FAILING_AFTER_FAILURES } from '../outbound-webhooks/webhook-metrics.js';
import { isoOrNull } from './iso-time.js';

export interface WebhookHealthResource {
  consecutive_failures: number;
  failing: boolean;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

export interface WebhookResource {
  id: string;
  url: string;
  events: string[];
  created_at: string;
  health: WebhookHealthResource;
}

export interface AttemptResource {
  at: string;
  response_status?: number;
  error?: string;
  duration_ms: number;
}

export interface DeliveryResource {
  event_id: string;
  type: string;
  status: WebhookDeliveryStatus;
  created_at: string;
  /** When a pending delivery is next tried; null once it is settled. */
  next_attempt_at: string | null;
  attempts: AttemptResource[];
}

export function presentWebhook(row: WebhookRow): WebhookResource {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    created_at: row.created_at.toISOString(),
    health: {
      consecutive_failures: row.consecutive_failures,
      failing: row.consecutive_failures >= FAILING_AFTER_FAILURES,
      last_success_at: isoOrNull(row.last_success_at),
      last_failure_at: isoOrNull(row.last_failure_at),
      last_error: row.last_error,
    },
  };
}

function presentAttempt(attempt: AttemptRow): AttemptResource {
  return {
    at: attempt.at.toISOString(),
    ...(attempt.response_status === null ? {} : { response_status: attempt.response_status }),
    ...(attempt.error === null ? {} : { error: attempt.error }),
    duration_ms: attempt.duration_ms,
  };
}

export function presentDelivery(delivery: DeliveryWithAttempts): DeliveryResource {
  return {
    event_id: String(delivery.event_id),
    type: delivery.event_type,
    status: delivery.status,
    created_at: delivery.created_at.toISOString(),
    next_attempt_at: delivery.status === 'pending' ? delivery.next_attempt_at.toISOString() : null,
    attempts: delivery.attempts.map(presentAttempt),
  };
}
