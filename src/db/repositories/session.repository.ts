/**
 * Sessions: a random token goes to the client once; the database keeps only its SHA-256, so a
 * leaked table grants nothing. Expiry slides forward as the session is used.
 */
import { sha256Hex, randomToken } from '../../shared/crypto.js';
import type { Executor } from '../transaction.js';
import type { Session } from '../schema.js';

export interface CreatedSession {
  readonly session: Session;
  /** The plain token: returned to the client, never stored. */
  readonly token: string;
}

export class SessionRepository {
  constructor(private readonly db: Executor) {}

  with(executor: Executor): SessionRepository {
    return new SessionRepository(executor);
  }

  async create(userId: string, ttlSeconds: number): Promise<CreatedSession> {
    const token = randomToken(32);
    const session = await this.db
      .insertInto('sessions')
      .values({ user_id: userId, token_hash: sha256Hex(token), expires_at: new Date(Date.now() + ttlSeconds * 1000) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { session, token };
  }

  /**
   * The unexpired session for `token`, its expiry pushed to `ttlSeconds` from now. The write is
   * skipped while the session was seen in the last minute, so busy clients do not write per request.
   */
  async findValid(token: string, ttlSeconds: number): Promise<Session | undefined> {
    const tokenHash = sha256Hex(token);
    const session = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (!session) return undefined;
    if (Date.now() - session.last_seen_at.getTime() < 60_000) return session;
    const now = new Date();
    return this.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: new Date(now.getTime() + ttlSeconds * 1000) })
      .where('id', '=', session.id)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  /** Ends every session of the user, except `keepSessionId` (the caller's own) when given. */
  async deleteForUser(userId: string, keepSessionId?: string): Promise<void> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionId !== undefined) query = query.where('id', '<>', keepSessionId);
    await query.execute();
  }

  /** Removes expired sessions; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expires_at', '<=', new Date()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
