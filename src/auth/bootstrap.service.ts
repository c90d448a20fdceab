/**
 * First start: when the users table is empty, create the first admin from the environment, or
 * `admin@localhost` with a random password printed once.
 */
import { randomToken } from '../shared/crypto.js';
import type { Config } from '../config/env.js';
import type { Logger } from '../shared/logger.js';
import { UserRepository } from '../db/repositories/user.repository.js';
import type { Executor } from '../db/transaction.js';

export async function ensureFirstAdmin(db: Executor, config: Config, logger: Logger): Promise<void> {
  const users = new UserRepository(db);
  if ((await users.count()) > 0) return;
  const email = config.adminEmail ?? 'admin@localhost';
  const password = config.adminPassword ?? randomToken(12);
  try {
    await users.createUser({ email, name: 'Admin', role: 'admin', password });
  } catch (error) {
    // Another process created the first user at the same moment: it printed the password.
    if ((await users.count()) > 0) return;
    throw error;
  }
  if (config.adminPassword === undefined) {
    // Printed once, on purpose: the operator has no other way to learn it.
    process.stdout.write(`\nFirst admin created: ${email} / ${password}\nSign in and change it; it will not be shown again.\n\n`);
  }
  logger.info({ email }, 'first admin created');
}
