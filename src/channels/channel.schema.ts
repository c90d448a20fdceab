/** Channels on the wire: the resource, its list, and the bodies that create and change one. */
import { Type, type Static } from 'typebox';
import { ListSchema, TimestampSchema } from '../http/schemas/common.schema.js';

const secret = (description: string) => Type.String({ minLength: 1, maxLength: 1024, pattern: '^\\S+$', description });
const rateLimit = Type.Integer({ minimum: 1, maximum: 100_000, description: 'Most messages a second from this number; default WHATSAPP_RATE_LIMIT' });
const name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const businessAccountId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$', description: 'The WABA id, for the template catalogue' });

export const ChannelSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    type: Type.Union([Type.Literal('cloud_api'), Type.Literal('sandbox')]),
    phone_number_id: Type.String(),
    display_phone_number: Type.Union([Type.String(), Type.Null()]),
    business_account_id: Type.Optional(Type.String()),
    rate_limit: Type.Integer(),
    status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('error')], {
      description: '`error`: WhatsApp refused the account or token and sending waits; `paused`: deleted',
    }),
    source: Type.Union([Type.Literal('api'), Type.Literal('env')], { description: '`env`: the WHATSAPP_* number, read-only here' }),
    has_access_token: Type.Boolean(),
    member_ids: Type.Array(Type.String({ format: 'uuid' }), { description: 'Agents who work this number; none: every agent' }),
    created_at: TimestampSchema,
  },
  { description: 'A WhatsApp number; its secrets are never shown' },
);
export type ChannelResource = Static<typeof ChannelSchema>;

export const ChannelListSchema = ListSchema(ChannelSchema);

export const VisibleChannelSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: Type.Union([Type.Literal('cloud_api'), Type.Literal('sandbox')]),
  display_phone_number: Type.Union([Type.String(), Type.Null()]),
});
export const VisibleChannelListSchema = ListSchema(VisibleChannelSchema);

export const ChannelCreateBodySchema = Type.Object(
  {
    name,
    type: Type.Union([Type.Literal('cloud_api'), Type.Literal('sandbox')], { description: '`sandbox`: simulated, nothing leaves the machine' }),
    phone_number_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$', description: 'Meta’s id of the number' }),
    access_token: Type.Optional(secret('A System User token; required for cloud_api')),
    app_secret: Type.Optional(secret('The app secret that signs webhooks; required for cloud_api')),
    verify_token: Type.Optional(secret('The webhook subscription’s verify token; required for cloud_api')),
    business_account_id: Type.Optional(businessAccountId),
    rate_limit: Type.Optional(rateLimit),
  },
  { additionalProperties: false },
);
export type ChannelCreateBody = Static<typeof ChannelCreateBodySchema>;

export const ChannelUpdateBodySchema = Type.Object(
  {
    name: Type.Optional(name),
    access_token: Type.Optional(secret('A new token, checked with Meta first')),
    app_secret: Type.Optional(secret('A new app secret')),
    verify_token: Type.Optional(secret('A new verify token')),
    business_account_id: Type.Optional(Type.Union([businessAccountId, Type.Null()])),
    rate_limit: Type.Optional(Type.Union([rateLimit, Type.Null()], { description: 'null: WHATSAPP_RATE_LIMIT' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ChannelUpdateBody = Static<typeof ChannelUpdateBodySchema>;

export const ChannelMembersBodySchema = Type.Object(
  { user_ids: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000, uniqueItems: true, description: 'Every member; [] opens the number to all agents' }) },
  { additionalProperties: false },
);

export const ChannelMembersSchema = Type.Object({ user_ids: Type.Array(Type.String({ format: 'uuid' })) });
