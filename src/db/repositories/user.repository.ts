/**
 * Users. Passwords are hashed on the way in; the hash is read only by `verifyPassword`, and every
 * other method returns `PublicUser`, which has no hash to leak.
 */
import { sql } from 'kysely';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../shared/crypto.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { User, UserRole } from '../schema.js';
import { BaseRepository } from './base.repository.js';

export type PublicUser = Omit<User, 'password_hash'>;

/** What every signed-in user may know of a colleague. */
export type TeamMember = Pick<PublicUser, 'id' | 'name' | 'role'>;

export interface CreateUserInput {
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly password: string;
}

const publicColumns = ['id', 'email', 'name', 'role', 'available', 'last_assigned_at', 'created_at', 'updated_at'] as const;

function withoutHash(user: PublicUser | User): PublicUser {
  if (!('password_hash' in user)) return user;
  const { password_hash: _hash, ...rest } = user;
  return rest;
}

export class UserRepository extends BaseRepository<PublicUser> {
  protected readonly table = 'users';
  protected readonly writableColumns = ['email', 'name', 'role', 'password_hash', 'available'] as const;
  protected readonly sortableColumns = ['created_at', 'email', 'name'] as const;
  protected override readonly notFoundCode: ErrorCode = 'user_not_found';

  protected override present(row: PublicUser): PublicUser {
    return withoutHash(row);
  }

  /** Case-insensitive, as emails are unique without regard to case. */
  async findByEmail(email: string): Promise<PublicUser | undefined> {
    return this.db.selectFrom('users').select(publicColumns).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  }

  async createUser(input: CreateUserInput): Promise<PublicUser> {
    return this.create({ email: input.email.trim(), name: input.name.trim(), role: input.role, password_hash: await hashPassword(input.password) });
  }

  async updatePassword(id: string, password: string): Promise<void> {
    await this.update(id, { password_hash: await hashPassword(password) });
  }

  /**
   * The user whose email and password match, or undefined. An unknown email still costs one hash
   * verification, so the two failures take similar time.
   */
  async verifyPassword(email: string, password: string): Promise<PublicUser | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    if (!row) {
      await verifyPassword(await dummyPasswordHash(), password);
      return undefined;
    }
    return (await verifyPassword(row.password_hash, password)) ? withoutHash(row) : undefined;
  }

  /** The admins' ids, their rows locked until the transaction ends, so two requests cannot both remove "another" admin. */
  async lockAdminIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id').forUpdate().execute();
    return rows.map((row) => row.id);
  }

  /** Every user's id, name and role, by name: the people a conversation can be assigned to. */
  async listTeam(limit: number): Promise<TeamMember[]> {
    return this.db.selectFrom('users').select(['id', 'name', 'role']).orderBy(sql`lower(name)`).orderBy('id').limit(limit).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
