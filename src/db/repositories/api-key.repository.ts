/**
 * API keys. The key goes to the admin once; the database keeps its SHA-256 (enough for a random
 * 256-bit secret, and indexable) and a short visible prefix to tell keys apart. A revoked key
 * keeps its row, so the audit log can still name it, but never authenticates again.
 */
import { randomBytes } from 'node:crypto';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { isUuid } from '../../shared/ids.js';
import type { ApiKey, UserRole } from '../schema.js';
import type { Executor } from '../transaction.js';

export const API_KEY_PREFIX = 'fc_';

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** The plain key: returned to the admin once, never stored. */
  readonly key: string;
}

export interface ActiveApiKey {
  readonly apiKey: ApiKey;
  /** The current role of the admin who created the key: the key acts with it. */
  readonly role: UserRole;
}

const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

function visiblePrefix(): string {
  const bytes = randomBytes(8);
  let prefix = API_KEY_PREFIX;
  for (const byte of bytes) prefix += prefixAlphabet[byte % prefixAlphabet.length];
  return prefix;
}

export class ApiKeyRepository {
  constructor(private readonly db: Executor) {}

  with(executor: Executor): ApiKeyRepository {
    return new ApiKeyRepository(executor);
  }

  async create(name: string, createdBy: string): Promise<CreatedApiKey> {
    const prefix = visiblePrefix();
    const key = `${prefix}_${randomToken(32)}`;
    const apiKey = await this.db
      .insertInto('api_keys')
      .values({ name, prefix, key_hash: sha256Hex(key), created_by: createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { apiKey, key };
  }

  /** Keys not revoked, oldest first. */
  async listActive(): Promise<ApiKey[]> {
    return this.db.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  }

  /** Revokes the key; undefined when there is no such active key. */
  async revoke(id: string): Promise<ApiKey | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** The active key whose hash matches `key`, with its creator's current role. */
  async findActiveByKey(key: string): Promise<ActiveApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys as k')
      .innerJoin('users as u', 'u.id', 'k.created_by')
      .selectAll('k')
      .select('u.role as creator_role')
      .where('k.key_hash', '=', sha256Hex(key))
      .where('k.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const { creator_role: role, ...apiKey } = row;
    return { apiKey, role };
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
