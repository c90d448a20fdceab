/** The inbox on the wire: a conversation (a contact with its last message), its list, and a change to one. */
import { Type } from 'typebox';
import { NextCursorSchema, PageQuerySchema } from './common.schema.js';
import { ContactSchema } from './contact.schema.js';
import { MessageSchema } from './message.schema.js';

const StatusSchema = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

export const ConversationSchema = Type.Object({
  contact: ContactSchema,
  last_message: Type.Union([MessageSchema, Type.Null()]),
  unread_count: Type.Integer(),
  status: StatusSchema,
  assignee_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  channel_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The channel the contact last wrote to' }),
});

export const ConversationPageSchema = Type.Object({ items: Type.Array(ConversationSchema), next_cursor: NextCursorSchema });

export const ConversationListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  status: Type.Optional(StatusSchema),
  assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '`me`, `none`, or a user id' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name, email or phone' })),
  channel_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only this channel’s conversations' })),
});

export const ConversationChangeSchema = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    assignee_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'A user id, or null to unassign' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const QuickReplySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  shortcut: Type.String(),
  text: Type.String(),
});

export const QuickReplyBodySchema = Type.Object(
  {
    shortcut: Type.String({ pattern: '^[a-z0-9_-]{1,32}$', description: 'Typed after "/" in the composer' }),
    text: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: false },
);

export const DashboardSchema = Type.Object({
  messages_per_day: Type.Array(Type.Object({ day: Type.String(), inbound: Type.Integer(), outbound: Type.Integer() })),
  median_first_response_seconds: Type.Union([Type.Number(), Type.Null()]),
  open_conversations: Type.Integer(),
});
