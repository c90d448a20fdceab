/** API keys on the wire: listed without their secret, which only the create answer carries. */
import { Type } from 'typebox';
import { ListSchema, NullableTimestampSchema, TimestampSchema, WithSecretSchema } from './common.schema.js';

export const ApiKeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The key’s visible start, to tell keys apart' }),
  created_by: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The admin whose role the key acts with' }),
  last_used_at: NullableTimestampSchema,
  created_at: TimestampSchema,
});

export const CreatedApiKeySchema = WithSecretSchema(ApiKeySchema, 'key', 'The secret: shown only in this answer; send it as `Authorization: Bearer <key>`');

export const ApiKeyListSchema = ListSchema(ApiKeySchema);

export const ApiKeyCreateBodySchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'What the key is for' }) },
  { additionalProperties: false },
);
