/**
 * Contacts on the wire: the resource (matches `presentContact` in
 * src/resources/contact.resource.ts), the bodies that create and change one, the list's
 * query, and the CSV import's answer. Shapes only; the rules (E.164, tag normalisation, the
 * metadata size) live in src/contacts/contact.service.ts.
 */
import { Type } from 'typebox';
import { JsonObjectSchema, NextCursorSchema, NullableTimestampSchema, TimestampSchema } from './common.schema.js';

export const ContactSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    phone: Type.Union([Type.String(), Type.Null()], { description: 'E.164, e.g. `+14155550123`' }),
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    tags: Type.Array(Type.String()),
    metadata: JsonObjectSchema,
    opted_out: Type.Boolean(),
    opted_out_at: NullableTimestampSchema,
    opted_out_source: Type.Union([
      Type.Literal('agent'), Type.Literal('keyword'), Type.Literal('api'), Type.Literal('import'), Type.Literal('whatsapp'), Type.Null(),
    ]),
    username: Type.Union([Type.String(), Type.Null()]),
    wa_user_id: Type.Union([Type.String(), Type.Null()]),
    message_count: Type.Integer({ description: 'Messages of the thread, both directions' }),
    unread_count: Type.Integer(),
    conversation_status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    assignee_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    channel_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The conversation’s channel: the one the contact last wrote to' }),
    last_inbound_at: NullableTimestampSchema,
    last_message_at: NullableTimestampSchema,
    window_open: Type.Boolean({ description: 'Free text may be sent: the last inbound message is under 24 hours old' }),
    window_expires_at: NullableTimestampSchema,
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  },
  { description: 'A contact' },
);

export const ContactPageSchema = Type.Object({ items: Type.Array(ContactSchema), next_cursor: NextCursorSchema });

const phone = Type.String({ minLength: 1, maxLength: 64, description: 'E.164 (`+14155550123`), or national with FLOWCHAT_DEFAULT_COUNTRY set' });
// `type: [string, null]` rather than a union with null: with type coercion on, ajv would turn a
// blank "" into null in a union's null branch instead of refusing it.
const name = Type.Unsafe<string | null>({ type: ['string', 'null'], minLength: 1, maxLength: 255, pattern: '\\S', description: 'Never blank; null removes it' });
const email = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'email', maxLength: 255, description: 'null removes it' });
const tags = Type.Array(Type.String({ maxLength: 256 }), {
  maxItems: 500,
  description: 'Trimmed, lowercased and deduplicated; at most 50 tags of at most 64 characters, no commas',
});

export const ContactCreateBodySchema = Type.Object(
  {
    phone,
    name: Type.Optional(name),
    email: Type.Optional(email),
    tags: Type.Optional(tags),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'A JSON object of at most 16 KB' })),
    opted_out: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ContactPatchBodySchema = Type.Object(
  {
    phone: Type.Optional(phone),
    name: Type.Optional(name),
    email: Type.Optional(email),
    tags: Type.Optional(tags),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Merged key by key; a key set to null is removed' })),
    opted_out: Type.Optional(Type.Boolean({ description: 'Opts the contact out of (or back into) messages; source `agent`' })),
  },
  { additionalProperties: false, description: 'Each field named replaces the old value, except `metadata`, which merges' },
);

export const ContactListQuerySchema = Type.Object({
  tags: Type.Optional(
    Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 50, description: 'Tags, comma-separated (`tags=vip,lead`) or repeated (`tags=vip&tags=lead`)' }),
  ),
  match: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')], { default: 'all', description: 'Contacts with all the tags, or any' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'A case-insensitive part of the name, email or phone' })),
  sort: Type.Optional(
    Type.Union([Type.Literal('created_at'), Type.Literal('name'), Type.Literal('last_message_at'), Type.Literal('message_count')], { default: 'created_at' }),
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'The `next_cursor` of the previous page' })),
});

export const ContactImportResultSchema = Type.Object({
  created: Type.Integer({ description: 'Rows whose phone was new' }),
  updated: Type.Integer({ description: 'Rows whose phone already existed (also earlier in the same file)' }),
  errors: Type.Array(Type.Object({ line: Type.Integer({ description: 'Where the record starts; the header is line 1' }), message: Type.String() }), {
    description: 'The rows not imported (the first 10 000)',
  }),
  error_count: Type.Integer({ description: 'All rows not imported, also beyond those listed' }),
});
