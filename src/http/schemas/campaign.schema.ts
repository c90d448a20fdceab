/**
 * Campaigns, saved segments and audiences as the API takes and returns them (matches
 * src/resources/campaign.resource.ts), for route schemas and the OpenAPI document.
 */
import { Type } from 'typebox';
import { JsonObjectSchema, ListSchema, NextCursorSchema, NullableTimestampSchema, PageQuerySchema, TimestampSchema } from './common.schema.js';
import { ContactSchema } from './contact.schema.js';

const MetadataScalarSchema = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]);

export const MetadataConditionSchema = Type.Union(
  [
    MetadataScalarSchema,
    Type.Array(MetadataScalarSchema, { minItems: 1, maxItems: 100 }),
    Type.Object({ exists: Type.Boolean() }, { additionalProperties: false }),
  ],
  {
    description:
      'A value: the key equals it (`{"city": "Recife"}`; compared as text, so `30` matches `"30"`). A list: the key equals one of them ' +
      '(`{"plan": ["gold", "platinum"]}`). `{"exists": true}`: the key is present with a non-null value; `{"exists": false}`: it is not.',
  },
);

export const AudienceSchema = Type.Object(
  {
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'Contacts carrying these tags; none: every contact' })),
    match: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')], { description: '`all` (the default): every tag; `any`: at least one' })),
    metadata: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), MetadataConditionSchema, { description: 'Every key must match' })),
    last_inbound_within_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'Only contacts who wrote in within this many days' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Which contacts to reach. Opted-out contacts, and contacts without a phone number, are always left out.',
  },
);

export const CampaignTemplateSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$', description: 'The approved template’s name' }),
    language: Type.String({ minLength: 2, maxLength: 16, pattern: '^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$', description: 'A language code, e.g. `en_US`' }),
    components: Type.Optional(
      Type.Array(Type.Object({ type: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: true }), {
        maxItems: 20,
        description:
          'Meta’s components with their parameters. Any string may hold per-contact variables, resolved when the campaign is created: ' +
          '`{{name}}`, `{{phone}}`, `{{email}}`, `{{metadata.KEY}}`. A contact lacking one is skipped (see the recipient report).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CampaignStatusSchema = Type.Union([
  Type.Literal('draft'), Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('completed'),
  Type.Literal('canceled'),
]);

export const CampaignCountsSchema = Type.Object(
  {
    pending: Type.Integer(),
    sent: Type.Integer(),
    delivered: Type.Integer(),
    read: Type.Integer(),
    failed: Type.Integer(),
    canceled: Type.Integer(),
  },
  { description: 'Messages by status; they add up to `total`' },
);

export const CampaignSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  status: CampaignStatusSchema,
  total: Type.Integer({ description: 'Messages enqueued, one per recipient' }),
  skipped: Type.Integer({ description: 'Contacts of the audience left out for a template variable they lack' }),
  counts: CampaignCountsSchema,
  template: JsonObjectSchema,
  audience: JsonObjectSchema,
  segment_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  channel_id: Type.String({ format: 'uuid' }),
  scheduled_at: NullableTimestampSchema,
  started_at: NullableTimestampSchema,
  paused_at: NullableTimestampSchema,
  paused_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it paused by itself: `template_paused` when WhatsApp paused or disabled its template; null when a person paused it' }),
  finished_at: NullableTimestampSchema,
  created_by: Type.Union([Type.String(), Type.Null()]),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});

export const CampaignPageSchema = Type.Object({ items: Type.Array(CampaignSchema), next_cursor: NextCursorSchema });

export const CampaignCreateBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    template: CampaignTemplateSchema,
    audience: Type.Optional(AudienceSchema),
    segment_id: Type.Optional(Type.String({ format: 'uuid', description: 'Use this saved segment’s filter as the audience (instead of `audience`)' })),
    scheduled_at: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Start then; unset or past: start now' }),
    ),
    channel_id: Type.Optional(Type.String({ format: 'uuid', description: 'The channel (WhatsApp number) to send from; default: the first channel' })),
  },
  { additionalProperties: false },
);

export const CampaignListQuerySchema = Type.Object({ ...PageQuerySchema.properties, status: Type.Optional(CampaignStatusSchema) });

export const RecipientStatusSchema = Type.Union([
  Type.Literal('pending'), Type.Literal('sent'), Type.Literal('delivered'), Type.Literal('read'), Type.Literal('failed'),
  Type.Literal('canceled'), Type.Literal('skipped'),
]);

export const RecipientSchema = Type.Object({
  contact_id: Type.String({ format: 'uuid' }),
  phone: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  message_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  status: RecipientStatusSchema,
  reason: Type.Union([Type.String(), Type.Null()], {
    description:
      'Why a pending message waits (`campaign_paused`, `daily_limit`, `scheduled`, `retry_wait`, `sending`) or why a contact was ' +
      'skipped (`missing_variable`)',
  }),
  detail: Type.Union([Type.String(), Type.Null()], { description: 'For a skip, the variables missing; for a retry, the last error' }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), title: Type.Optional(Type.String()) }), Type.Null()]),
  sent_at: NullableTimestampSchema,
  delivered_at: NullableTimestampSchema,
  read_at: NullableTimestampSchema,
  failed_at: NullableTimestampSchema,
  updated_at: TimestampSchema,
});

export const RecipientPageSchema = Type.Object({ items: Type.Array(RecipientSchema), next_cursor: NextCursorSchema });

export const RecipientQuerySchema = Type.Object({ ...PageQuerySchema.properties, status: Type.Optional(RecipientStatusSchema) });

export const SegmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  filter: AudienceSchema,
  created_by: Type.Union([Type.String(), Type.Null()]),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});

export const SegmentListSchema = ListSchema(SegmentSchema);

export const SegmentCreateBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), filter: AudienceSchema },
  { additionalProperties: false },
);

export const SegmentPatchBodySchema = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), filter: Type.Optional(AudienceSchema) },
  { additionalProperties: false },
);

export const AudiencePreviewBodySchema = Type.Object(
  {
    audience: Type.Optional(AudienceSchema),
    segment_id: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10, description: 'How many contacts to return' })),
  },
  { additionalProperties: false },
);

export const AudiencePreviewSchema = Type.Object({
  count: Type.Integer({ description: 'Contacts the audience reaches now' }),
  items: Type.Array(ContactSchema, { description: 'The first of them, by name' }),
});
