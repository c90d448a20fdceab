/**
 * Signing in and out. A wrong password and an unknown email fail alike (same error, one password
 * hash verified either way); failures are counted per email and per client address in the
 * database, and past the limit further attempts are refused without checking the password until
 * the window has passed.
 */
import { recordAudit, systemActor } from '../audit/record-audit.js';
import type { Config } from '../config/env.js';
import { LoginAttemptRepository } from '../db/repositories/login-attempt.repository.js';
import { SessionRepository } from '../db/repositories/session.repository.js';
import { UserRepository, type PublicUser } from '../db/repositories/user.repository.js';
import { transaction, type Executor } from '../db/transaction.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from './auth.service.js';

export interface LoginResult {
  readonly token: string;
  readonly user: PublicUser;
  readonly expiresAt: Date;
}

export class LoginService {
  private readonly attempts: LoginAttemptRepository;
  private readonly users: UserRepository;

  constructor(
    private readonly db: Executor,
    private readonly config: Pick<Config, 'loginMaxFailures' | 'loginWindowSeconds' | 'sessionTtlSeconds'>,
  ) {
    this.attempts = new LoginAttemptRepository(db);
    this.users = new UserRepository(db);
  }

  async login(emailInput: string, password: string, ip: string): Promise<LoginResult> {
    const email = emailInput.trim().toLowerCase();
    const windowStart = new Date(Date.now() - this.config.loginWindowSeconds * 1000);
    const failures = await this.attempts.recentFailures(email, ip, windowStart);
    if (failures.byEmail >= this.config.loginMaxFailures || failures.byIp >= this.config.loginMaxFailures) {
      throw new AppError('too_many_requests', 'Too many failed sign-ins; try again later', { retry_after_seconds: this.config.loginWindowSeconds });
    }

    const user = await this.users.verifyPassword(email, password);
    if (!user) {
      // Each its own statement: a failure must be counted and audited even though the request fails.
      await this.attempts.recordFailure(email, ip);
      await recordAudit(this.db, { actor: systemActor, action: 'auth.login_failed', target: { type: 'user', id: null }, details: { email, ip } });
      await this.attempts.purgeBefore(windowStart);
      throw new AppError('invalid_credentials');
    }

    return transaction(this.db, async (trx) => {
      const { session, token } = await new SessionRepository(trx).create(user.id, this.config.sessionTtlSeconds);
      await new LoginAttemptRepository(trx).clearEmail(email);
      await recordAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.login', target: { type: 'user', id: user.id }, details: { ip } });
      return { token, user, expiresAt: session.expires_at };
    });
  }

  /** Ends the principal's session; an API key has none to end. */
  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId !== undefined) await new SessionRepository(this.db).delete(principal.sessionId);
  }
}
