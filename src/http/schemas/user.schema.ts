/** Users on the wire: the resource (never with a password hash) and the bodies that create and change one. */
import { Type } from 'typebox';
import { ListSchema, NextCursorSchema, TimestampSchema } from './common.schema.js';

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('agent')]);

/** Response schemas list only these fields, so a hash could never be serialised even if passed. */
export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    available: Type.Boolean({ description: 'False: automatic assignment skips the user' }),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  },
  { description: 'An agent or admin' },
);

export const UserPageSchema = Type.Object({ items: Type.Array(UserSchema), next_cursor: NextCursorSchema });

/** A colleague as every signed-in user sees them: enough to assign a conversation, no email. */
export const TeamMemberSchema = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), role: RoleSchema }, { description: 'A user conversations can be assigned to' });

export const TeamSchema = ListSchema(TeamMemberSchema);

// As loose as FLOWCHAT_ADMIN_EMAIL's rule, so the first admin's `admin@localhost` stays valid.
const email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 255, description: 'Unique without regard to case' });
const name = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });
/** Long enough to be a passphrase, short enough that hashing it cannot be used to burn CPU. */
const password = Type.String({ minLength: 10, maxLength: 1024, description: 'At least 10 characters' });

export const UserCreateBodySchema = Type.Object({ email, name, role: RoleSchema, password }, { additionalProperties: false });

export const UserPatchBodySchema = Type.Object(
  { email: Type.Optional(email), name: Type.Optional(name), role: Type.Optional(RoleSchema), password: Type.Optional(password) },
  { additionalProperties: false, description: 'A new password signs the user out everywhere else' },
);
