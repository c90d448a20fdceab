/**
 * API keys for integrators: admins create, list and revoke them, and a key in an
 * `Authorization: Bearer` header authenticates as the admin who created it, with that admin's
 * current role (demoting or deleting the admin demotes or removes their keys with them). The
 * lookup happens on every request, so a revoked key stops working at once.
 */
import { actorOf, recordAudit } from '../audit/record-audit.js';
import { API_KEY_PREFIX, ApiKeyRepository, type CreatedApiKey } from '../db/repositories/api-key.repository.js';
import type { ApiKey } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from './auth.service.js';

/** `last_used_at` is written at most this often per key, so busy integrations do not write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export class ApiKeyService {
  private readonly keys: ApiKeyRepository;

  constructor(private readonly db: Executor) {
    this.keys = new ApiKeyRepository(db);
  }

  list(): Promise<ApiKey[]> {
    return this.keys.listActive();
  }

  async create(name: string, principal: Principal): Promise<CreatedApiKey> {
    return transaction(this.db, async (trx) => {
      const created = await this.keys.with(trx).create(name.trim(), principal.userId);
      await recordAudit(trx, {
        actor: actorOf(principal),
        action: 'api_key.created',
        target: { type: 'api_key', id: created.apiKey.id },
        details: { name: created.apiKey.name, prefix: created.apiKey.prefix },
      });
      return created;
    });
  }

  async revoke(id: string, principal: Principal): Promise<void> {
    await transaction(this.db, async (trx) => {
      const revoked = await this.keys.with(trx).revoke(id);
      if (!revoked) throw new AppError('api_key_not_found');
      await recordAudit(trx, {
        actor: actorOf(principal),
        action: 'api_key.revoked',
        target: { type: 'api_key', id: revoked.id },
        details: { name: revoked.name, prefix: revoked.prefix },
      });
    });
  }

  /** The credential resolver for `AuthService`: a principal for an active key, else undefined. */
  async resolve(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(API_KEY_PREFIX)) return undefined;
    const found = await this.keys.findActiveByKey(token);
    if (!found) return undefined;
    const { apiKey, role } = found;
    const now = new Date();
    if (apiKey.last_used_at === null || now.getTime() - apiKey.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
      await this.keys.touch(apiKey.id, now);
    }
    return { type: 'api_key', userId: apiKey.created_by, role, apiKeyId: apiKey.id };
  }
}
