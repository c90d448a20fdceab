/**
 * The bodies that send messages: one (`POST /api/v1/contacts/:id/messages`) or many
 * (`POST /api/v1/messages/bulk`), text or an approved template, and the thread's query.
 */
import { Type, type Static } from 'typebox';
import { MessageSchema } from './message.schema.js';
import { mediaSendFields } from '../../media/media-send.schema.js';

export const TemplateComponentSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 32, description: '`header`, `body` or `button`' }),
    sub_type: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Buttons: `quick_reply`, `url`, `copy_code`, …' })),
    index: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]$' }), Type.Integer({ minimum: 0, maximum: 9 })], { description: 'Buttons: the button’s position' })),
    parameters: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100 })),
  },
  { description: 'A component as Meta’s Cloud API takes it; sent as given', additionalProperties: true },
);

export const TemplateInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$', description: 'The approved template’s name' }),
    language: Type.String({ minLength: 2, maxLength: 16, pattern: '^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$', description: 'A language code, e.g. `en_US`' }),
    components: Type.Optional(Type.Array(TemplateComponentSchema, { maxItems: 20 })),
  },
  { additionalProperties: false },
);

const content = Type.String({ minLength: 1, maxLength: 4096, pattern: '\\S', description: 'At most 4096 characters, not blank' });
const channel_id = Type.Optional(Type.String({ format: 'uuid', description: 'The channel to send on; default: the one the contact last wrote to' }));

// Meta's limits (body 1024, titles 20 or 24, …) are checked by src/interactive/ to name the field; these only bound the size.
const short = Type.String({ maxLength: 1024 });
const interactiveFrame = { body: Type.String({ maxLength: 4096, description: 'At most 1024 characters' }), header: Type.Optional(Type.String({ maxLength: 1024, description: 'Text, at most 60 characters' })), footer: Type.Optional(Type.String({ maxLength: 1024, description: 'At most 60 characters' })) };
export const InteractiveInputSchema = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('button'), ...interactiveFrame, buttons: Type.Array(Type.Object({ id: short, title: short }, { additionalProperties: false }), { maxItems: 10, description: '1 to 3; ids ≤ 256 and titles ≤ 20 characters, each unique' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        type: Type.Literal('list'),
        ...interactiveFrame,
        button: Type.String({ maxLength: 1024, description: 'The label that opens the list, at most 20 characters' }),
        sections: Type.Array(
          Type.Object({ title: Type.Optional(short), rows: Type.Array(Type.Object({ id: short, title: short, description: Type.Optional(short) }, { additionalProperties: false }), { maxItems: 20 }) }, { additionalProperties: false }),
          { maxItems: 20, description: '1 to 10 rows in all; row titles ≤ 24, ids ≤ 200 and unique, descriptions ≤ 72 characters' },
        ),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Reply buttons or a list (inside the 24-hour window only)' },
);
const replyTo = Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The FlowChat id of a sent message of this thread to quote' }));

export const SendMessageBodySchema = Type.Union([
  Type.Object({ type: Type.Literal('text'), content, reply_to: replyTo, channel_id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('template'), template: TemplateInputSchema, reply_to: replyTo, channel_id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('interactive'), interactive: InteractiveInputSchema, reply_to: replyTo, channel_id }, { additionalProperties: false }),
  Type.Object({ ...mediaSendFields, reply_to: replyTo, channel_id }, { additionalProperties: false }),
]);
export type SendMessageBody = Static<typeof SendMessageBodySchema>;

const contactId = Type.String({ minLength: 1, maxLength: 100, description: 'The contact to send to' });

export const BulkSendBodySchema = Type.Object(
  {
    messages: Type.Array(
      Type.Union([
        Type.Object({ contact_id: contactId, type: Type.Literal('text'), content, reply_to: replyTo, channel_id }, { additionalProperties: false }),
        Type.Object({ contact_id: contactId, type: Type.Literal('template'), template: TemplateInputSchema, reply_to: replyTo, channel_id }, { additionalProperties: false }),
        Type.Object({ contact_id: contactId, type: Type.Literal('interactive'), interactive: InteractiveInputSchema, reply_to: replyTo, channel_id }, { additionalProperties: false }),
        Type.Object({ contact_id: contactId, ...mediaSendFields, reply_to: replyTo, channel_id }, { additionalProperties: false }),
      ]),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const BulkSendAnswerSchema = Type.Object({ messages: Type.Array(MessageSchema) });

export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$', description: 'A repeat with the same key answers with the first request’s messages' }),
  ),
});

export const ThreadQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Messages per page, 1 to 200' })),
  before: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'The `next_cursor` of the previous page' })),
});

export const MarkReadAnswerSchema = Type.Object({ read: Type.Integer({ description: 'Inbound messages now marked read' }) });
