/** The audit log on the wire: entries, and the filters of `GET /api/v1/audit`. */
import { Type } from 'typebox';
import { auditActions } from '../../audit/record-audit.js';
import { JsonObjectSchema, NextCursorSchema, PageQuerySchema, TimestampSchema } from './common.schema.js';

const ActorTypeSchema = Type.Union([Type.Literal('user'), Type.Literal('api_key'), Type.Literal('system')]);

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: TimestampSchema,
  actor: Type.Object({ type: ActorTypeSchema, id: Type.Union([Type.String(), Type.Null()]) }, { description: 'Who acted: a user, an API key, or FlowChat itself' }),
  action: Type.String({ description: `One of ${auditActions.join(', ')}` }),
  target: Type.Object({ type: Type.Union([Type.String(), Type.Null()]), id: Type.Union([Type.String(), Type.Null()]) }, { description: 'What was acted on' }),
  details: JsonObjectSchema,
});

export const AuditPageSchema = Type.Object({ items: Type.Array(AuditEntrySchema), next_cursor: NextCursorSchema });

export const AuditQuerySchema = Type.Object(
  {
    ...PageQuerySchema.properties,
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The acting user’s or API key’s id' })),
    actor_type: Type.Optional(ActorTypeSchema),
    action: Type.Optional(Type.Enum(auditActions)),
    target_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    target_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The id of the thing acted on, e.g. a contact’s' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time' })),
  },
  { additionalProperties: false },
);
