/**
 * Automations on the wire: the rule (trigger, conditions, actions) as `/api/v1/automations` takes
 * and answers it. A reply's `message` is any body `POST /api/v1/contacts/:id/messages` takes.
 */
import { Type, type Static } from 'typebox';
import { SendMessageBodySchema } from '../http/schemas/message-send.schema.js';
import { ListSchema, TimestampSchema } from '../http/schemas/common.schema.js';

const uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const word = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const matchMode = Type.Union([Type.Literal('exact'), Type.Literal('contains')], {
  description: '`exact`: the whole message is the keyword; `contains`: the keyword appears in it as whole words. Case and accents ignored either way',
});

export const TriggerSchema = Type.Union([Type.Literal('message.received'), Type.Literal('conversation.opened'), Type.Literal('button.clicked')], {
  description: '`message.received`: each inbound message; `conversation.opened`: the first inbound message of a new conversation or one that was closed; `button.clicked`: an inbound tap',
});

export const ConditionsSchema = Type.Object(
  {
    keywords: Type.Optional(
      Type.Union([
        Type.Array(word, { minItems: 1, maxItems: 100 }),
        Type.Object({ values: Type.Array(word, { minItems: 1, maxItems: 100 }), match: Type.Optional(matchMode) }, { additionalProperties: false }),
      ], { description: 'Any one of them matches: a list (with `match` beside it) or `{values, match}`' }),
    ),
    match: Type.Optional(matchMode),
    channel_ids: Type.Optional(Type.Array(uuid, { minItems: 1, maxItems: 100, description: 'The inbound message arrived on one of these channels' })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'The contact has every one of them' })),
    outside_business_hours: Type.Optional(Type.Boolean({ description: 'true: only outside business hours (a reply then at most once per contact in 12 h); false: only inside' })),
    button_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 100, description: 'The tapped button or row id (a template button: its payload)' })),
  },
  { additionalProperties: false, description: 'All optional; every one given must hold' },
);
export type Conditions = Static<typeof ConditionsSchema>;

export const ActionSchema = Type.Union([
  Type.Object({ type: Type.Literal('reply'), message: SendMessageBodySchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('assign'), user_id: uuid }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('assign'), strategy: Type.Union([Type.Literal('round_robin'), Type.Literal('least_busy')]) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_tags'), tags: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('close') }, { additionalProperties: false }),
]);
export type Action = Static<typeof ActionSchema>;

const name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const actions = Type.Array(ActionSchema, { minItems: 1, maxItems: 20, description: 'Run in order; at most one `reply`' });

export const AutomationCreateBodySchema = Type.Object(
  { name, enabled: Type.Optional(Type.Boolean({ default: true })), trigger: TriggerSchema, conditions: Type.Optional(ConditionsSchema), actions },
  { additionalProperties: false },
);
export type AutomationCreateBody = Static<typeof AutomationCreateBodySchema>;

export const AutomationPatchBodySchema = Type.Object(
  { name: Type.Optional(name), enabled: Type.Optional(Type.Boolean()), trigger: Type.Optional(TriggerSchema), conditions: Type.Optional(ConditionsSchema), actions: Type.Optional(actions) },
  { additionalProperties: false, description: 'Each field given replaces the old one' },
);
export type AutomationPatchBody = Static<typeof AutomationPatchBodySchema>;

export const AutomationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    enabled: Type.Boolean(),
    trigger: TriggerSchema,
    conditions: Type.Record(Type.String(), Type.Unknown()),
    actions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  },
  { description: 'A rule that answers, tags and assigns by itself' },
);

export const AutomationListSchema = ListSchema(AutomationSchema);
