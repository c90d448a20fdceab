/** Signing in and out: the login body and answer, and who the caller is. */
import { Type } from 'typebox';
import { TimestampSchema } from './common.schema.js';
import { UserSchema } from './user.schema.js';

export const LoginBodySchema = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 255 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export const LoginResultSchema = Type.Object({
  token: Type.String({ description: 'A session token: send it as `Authorization: Bearer <token>` (browsers use the cookie instead)' }),
  user: UserSchema,
  expires_at: TimestampSchema,
});

export const ChannelSchema = Type.Union([Type.Literal('sandbox'), Type.Literal('cloud_api')], {
  description: '`sandbox` when no WhatsApp Cloud API token is configured',
});

/** The user's own fields, the same user under `user` (as login answers), and the channel in use. */
export const MeSchema = Type.Object({
  ...UserSchema.properties,
  user: UserSchema,
  authenticated_by: Type.Union([Type.Literal('session'), Type.Literal('api_key')]),
  channel: ChannelSchema,
});
