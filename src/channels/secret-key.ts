/**
 * The key that encrypts channel secrets at rest: FLOWCHAT_SECRET_KEY, or, for the embedded
 * database only, a key generated once into FLOWCHAT_DATA_DIR (it lives beside the database files
 * it protects, and a restart finds it there). A server database needs the variable as soon as a
 * channel is stored: every process on it must hold the same key, which no one process can make up.
 *
 * The AES-256 key is derived from the given bytes with HKDF-SHA256, so any 32+ random bytes serve.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/env.js';

const keyFileName = 'channel-secret.key';

/** Why no key can be had: the message names the variable to set. */
export class SecretKeyMissingError extends Error {
  constructor() {
    super('FLOWCHAT_SECRET_KEY is required with DATABASE_URL to store channel secrets (32+ random bytes, hex or base64)');
    this.name = 'SecretKeyMissingError';
  }
}

function derive(material: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'flowchat channel secrets', 32));
}

/** Reads the embedded database's key file, creating it (owner-only) the first time. */
function keyFile(dataDir: string): Buffer {
  const file = join(dataDir, keyFileName);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another start wrote it first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/** The channel-secrets key; throws `SecretKeyMissingError` on a server database without FLOWCHAT_SECRET_KEY. */
export function channelSecretKey(config: Config): Buffer {
  if (config.secretKey) return derive(config.secretKey);
  if (config.databaseUrl !== undefined) throw new SecretKeyMissingError();
  return derive(keyFile(config.dataDir));
}
