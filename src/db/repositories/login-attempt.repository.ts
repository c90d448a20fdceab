/**
 * Failed logins, per email and per client address, kept in the database so the throttle holds
 * across every FlowChat process on it. Rows older than the window are pruned as new ones arrive.
 */
import { sql } from 'kysely';
import type { Executor } from '../transaction.js';

export interface RecentFailures {
  readonly byEmail: number;
  readonly byIp: number;
}

export class LoginAttemptRepository {
  constructor(private readonly db: Executor) {}

  /** Failures since `since` for this email (lowercased) and for this address. */
  async recentFailures(email: string, ip: string, since: Date): Promise<RecentFailures> {
    const row = await this.db
      .selectFrom('login_attempts')
      .select([
        sql<number>`count(*) FILTER (WHERE email = ${email})`.as('by_email'),
        sql<number>`count(*) FILTER (WHERE ip = ${ip})`.as('by_ip'),
      ])
      .where('at', '>', since)
      .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
      .executeTakeFirstOrThrow();
    return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await this.db.insertInto('login_attempts').values({ email, ip }).execute();
  }

  /** A successful login forgives the email's earlier failures (not the address's). */
  async clearEmail(email: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('email', '=', email).execute();
  }

  async purgeBefore(before: Date): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('at', '<=', before).execute();
  }
}
