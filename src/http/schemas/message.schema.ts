/**
 * A message as the REST API returns it (matches `presentMessage` in
 * src/resources/message.resource.ts), for response schemas and the OpenAPI document.
 */
import { Type } from 'typebox';
import { JsonObjectSchema, NullableTimestampSchema, TimestampSchema } from './common.schema.js';
import { MediaResourceSchema } from '../../media/media.schema.js';

export const MessageStatusSchema = Type.Union([
  Type.Literal('pending'), Type.Literal('sent'), Type.Literal('delivered'), Type.Literal('read'),
  Type.Literal('failed'), Type.Literal('canceled'), Type.Literal('received'),
]);

export const MessageSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    contact_id: Type.String({ format: 'uuid' }),
    direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('internal')], { description: '`internal`: a private note, never sent' }),
    type: Type.String({ description: '`text`, `template`, or a media type for inbound messages' }),
    content: Type.Union([Type.String(), Type.Null()]),
    template: Type.Optional(JsonObjectSchema),
    status: MessageStatusSchema,
    external_id: Type.Union([Type.String(), Type.Null()], { description: 'The WhatsApp message id (`wamid.…`) once sent' }),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), title: Type.Optional(Type.String()) })),
    campaign_id: Type.Optional(Type.String({ format: 'uuid' })),
    from_user_id: Type.Optional(Type.String({ format: 'uuid' })),
    channel_id: Type.String({ format: 'uuid', description: 'The channel (WhatsApp number) it came in on or goes out from' }),
    metadata: JsonObjectSchema,
    media: Type.Optional(MediaResourceSchema),
    reply_to: Type.Optional(Type.String({ format: 'uuid', description: 'The message of the thread this one quotes' })),
    reactions: Type.Array(
      Type.Object({ emoji: Type.String(), from: Type.Union([Type.Literal('contact'), Type.Literal('user')]), user_id: Type.Optional(Type.String({ format: 'uuid' })) }),
      { description: 'At most one per contact and one per user' },
    ),
    interactive: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The buttons or list as sent' })),
    sent_at: NullableTimestampSchema,
    delivered_at: NullableTimestampSchema,
    read_at: NullableTimestampSchema,
    failed_at: NullableTimestampSchema,
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  },
  { description: 'A message of a contact’s thread' },
);

export const MessagePageSchema = Type.Object({
  items: Type.Array(MessageSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `before` for the next (older) page; null on the last' }),
});
