/** Outbound webhooks on the wire: endpoints (the secret only in the create answer) and their deliveries. */
import { Type } from 'typebox';
import { eventTypes } from '../../events/event-types.js';
import { ListSchema, NextCursorSchema, NullableTimestampSchema, PageQuerySchema, TimestampSchema, WithSecretSchema } from './common.schema.js';

export const EventTypeSchema = Type.Enum(eventTypes, { description: 'An event FlowChat emits' });

const WebhookHealthSchema = Type.Object(
  {
    consecutive_failures: Type.Integer({ minimum: 0, description: 'Failed attempts in a row; 0 after a success' }),
    failing: Type.Boolean({ description: 'Whether the endpoint keeps failing (3 or more failed attempts in a row)' }),
    last_success_at: NullableTimestampSchema,
    last_failure_at: NullableTimestampSchema,
    last_error: Type.Union([Type.String(), Type.Null()], { description: 'The last failure: an HTTP status or a network error' }),
  },
  { description: 'How deliveries to this endpoint are going' },
);

export const WebhookSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  events: Type.Array(Type.String({ description: 'An event type' })),
  created_at: TimestampSchema,
  health: WebhookHealthSchema,
});

export const CreatedWebhookSchema = WithSecretSchema(WebhookSchema, 'secret', 'Signs every delivery (`X-FlowChat-Signature`); shown only in this answer');

export const WebhookListSchema = ListSchema(WebhookSchema);

export const WebhookCreateBodySchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'An http or https URL; loopback and private addresses are allowed' }),
    events: Type.Array(EventTypeSchema, { minItems: 1, maxItems: 50, description: 'The event types to send' }),
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: 'The signing secret; generated when left out' })),
  },
  { additionalProperties: false },
);

export const DeliveryStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]);

export const DeliverySchema = Type.Object({
  event_id: Type.String({ description: 'The event id: the body’s `id` and the `X-FlowChat-Delivery` header, the same on every retry' }),
  type: Type.String(),
  status: DeliveryStatusSchema,
  created_at: TimestampSchema,
  next_attempt_at: Type.Union([TimestampSchema, Type.Null()], { description: 'When a pending delivery is tried next' }),
  attempts: Type.Array(
    Type.Object({
      at: TimestampSchema,
      response_status: Type.Optional(Type.Integer({ description: 'The endpoint’s HTTP status, when it answered' })),
      error: Type.Optional(Type.String({ description: 'Why there was no answer (timeout, connection refused, …)' })),
      duration_ms: Type.Integer({ minimum: 0 }),
    }),
  ),
});

export const DeliveryPageSchema = Type.Object({
  items: Type.Array(DeliverySchema),
  next_cursor: NextCursorSchema,
  health: WebhookHealthSchema,
});

export const DeliveryQuerySchema = Type.Object(
  { ...PageQuerySchema.properties, status: Type.Optional(DeliveryStatusSchema) },
  { additionalProperties: false },
);

export const DeliveryParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  event_id: Type.String({ minLength: 1, maxLength: 100, description: 'The event id of the delivery' }),
});
