/**
 * Who is calling: a bearer token or session cookie becomes a `Principal`. Sessions are looked up
 * by the SHA-256 of their token; other credential kinds (API keys) register a resolver here.
 */
import type { Foundation } from '../foundation.js';
import { SessionRepository } from '../db/repositories/session.repository.js';
import { UserRepository } from '../db/repositories/user.repository.js';
import type { UserRole } from '../db/schema.js';

export interface Principal {
  readonly type: 'user' | 'api_key';
  /** The user acting: the signed-in user, or the user an API key belongs to. */
  readonly userId: string;
  readonly role: UserRole;
  readonly sessionId?: string;
  readonly apiKeyId?: string;
}

/** Resolves one kind of credential; returns undefined when the token is not of its kind or not valid. */
export type CredentialResolver = (token: string) => Promise<Principal | undefined>;

export class AuthService {
  private readonly resolvers: CredentialResolver[] = [];
  private readonly sessions: SessionRepository;
  private readonly users: UserRepository;

  constructor(private readonly ctx: Pick<Foundation, 'db' | 'config'>) {
    this.sessions = new SessionRepository(ctx.db);
    this.users = new UserRepository(ctx.db);
    this.resolvers.push((token) => this.resolveSession(token));
  }

  /** Adds a resolver tried before sessions (an API key has a recognisable prefix). */
  addResolver(resolver: CredentialResolver): void {
    this.resolvers.unshift(resolver);
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length === 0 || token.length > 512) return undefined;
    for (const resolve of this.resolvers) {
      const principal = await resolve(token);
      if (principal) return principal;
    }
    return undefined;
  }

  private async resolveSession(token: string): Promise<Principal | undefined> {
    const session = await this.sessions.findValid(token, this.ctx.config.sessionTtlSeconds);
    if (!session) return undefined;
    const user = await this.users.findById(session.user_id);
    if (!user) return undefined;
    return { type: 'user', userId: user.id, role: user.role, sessionId: session.id };
  }
}
