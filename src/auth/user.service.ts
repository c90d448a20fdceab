/**
 * Agents and admins. Emails are unique without regard to case; passwords are hashed by the
 * repository and never leave it. FlowChat always keeps at least one admin, checked with the
 * admins' rows locked so two concurrent requests cannot each remove "the other" one. Deleting a
 * user keeps their messages (the author becomes unknown) and ends their sessions and API keys.
 */
import { actorOf, recordAudit } from '../audit/record-audit.js';
import type { KeysetPosition, Page } from '../db/keyset.js';
import { SessionRepository } from '../db/repositories/session.repository.js';
import { UserRepository, type CreateUserInput, type PublicUser, type TeamMember } from '../db/repositories/user.repository.js';
import type { UserRole } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { AppError, ConflictError } from '../shared/errors.js';
import type { Principal } from './auth.service.js';

/** More users than any team FlowChat serves; the list has no pages. */
const MAX_TEAM = 1_000;

export interface UserPatch {
  readonly email?: string;
  readonly name?: string;
  readonly role?: UserRole;
  readonly password?: string;
}

/** A unique violation on the email index, whichever statement hit it, is the contract's 409. */
function duplicateEmail(error: unknown): unknown {
  return error instanceof ConflictError && error.field === 'email' ? new AppError('duplicate_email') : error;
}

export class UserService {
  private readonly users: UserRepository;

  constructor(private readonly db: Executor) {
    this.users = new UserRepository(db);
  }

  list(options: { limit?: number; after?: KeysetPosition }): Promise<Page<PublicUser>> {
    return this.users.findAll({ orderBy: 'created_at', order: 'asc', ...options });
  }

  /** The whole team (at most `MAX_TEAM`), for assigning conversations. */
  team(): Promise<TeamMember[]> {
    return this.users.listTeam(MAX_TEAM);
  }

  async get(id: string): Promise<PublicUser> {
    return this.users.findByIdOrThrow(id);
  }

  /** Whether automatic assignment may pick the user (each one sets their own). */
  setAvailable(id: string, available: boolean): Promise<PublicUser> {
    return this.users.update(id, { available });
  }

  /** Creates the user; a duplicate email, in any case, is 409 `duplicate_email`. */
  async createUser(input: CreateUserInput, principal?: Principal): Promise<PublicUser> {
    try {
      return await transaction(this.db, async (trx) => {
        const users = this.users.with(trx);
        if (await users.findByEmail(input.email.trim())) throw new AppError('duplicate_email');
        const user = await users.createUser(input);
        await recordAudit(trx, {
          actor: actorOf(principal),
          action: 'user.created',
          target: { type: 'user', id: user.id },
          details: { email: user.email, role: user.role },
        });
        return user;
      });
    } catch (error) {
      throw duplicateEmail(error);
    }
  }

  /** Changes the named fields; a new password ends the user's other sessions. */
  async updateUser(id: string, patch: UserPatch, principal?: Principal): Promise<PublicUser> {
    try {
      return await transaction(this.db, async (trx) => {
        const users = this.users.with(trx);
        const current = await users.findByIdOrThrow(id);
        if (patch.role === 'agent' && current.role === 'admin') await this.keepAnAdmin(users, id);
        if (patch.email !== undefined) {
          const owner = await users.findByEmail(patch.email.trim());
          if (owner && owner.id !== id) throw new AppError('duplicate_email');
        }
        const changes = {
          ...(patch.email === undefined ? {} : { email: patch.email.trim() }),
          ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
          ...(patch.role === undefined ? {} : { role: patch.role }),
        };
        let user = await users.update(id, changes);
        if (patch.password !== undefined) {
          await users.updatePassword(id, patch.password);
          await new SessionRepository(trx).deleteForUser(id, principal?.userId === id ? principal.sessionId : undefined);
          user = await users.findByIdOrThrow(id);
        }
        await recordAudit(trx, {
          actor: actorOf(principal),
          action: 'user.updated',
          target: { type: 'user', id },
          // Which fields changed, and the role; never the password.
          details: { fields: Object.keys(patch).filter((key) => patch[key as keyof UserPatch] !== undefined), role: user.role },
        });
        return user;
      });
    } catch (error) {
      throw duplicateEmail(error);
    }
  }

  async deleteUser(id: string, principal?: Principal): Promise<void> {
    await transaction(this.db, async (trx) => {
      const users = this.users.with(trx);
      const current = await users.findByIdOrThrow(id);
      if (current.role === 'admin') await this.keepAnAdmin(users, id);
      await users.delete(id);
      await recordAudit(trx, {
        actor: actorOf(principal),
        action: 'user.deleted',
        target: { type: 'user', id },
        details: { email: current.email, role: current.role },
      });
    });
  }

  /** Refuses to remove the admin `id` when no other admin would remain. */
  private async keepAnAdmin(users: UserRepository, id: string): Promise<void> {
    const admins = await users.lockAdminIds();
    if (!admins.some((adminId) => adminId !== id)) throw new AppError('last_admin');
  }
}
