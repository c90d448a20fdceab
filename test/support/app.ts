/**
 * A FlowChat application on a test database, driven through `inject` or on an ephemeral port,
 * plus quick ways to get a signed-in user's token.
 */
import { loadConfig, type Config } from '../../src/config/env.js';
import { compose } from '../../src/compose.js';
import type { AppContext } from '../../src/app-context.js';
import { buildApp, type App } from '../../src/http/app.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { UserRepository, type PublicUser } from '../../src/db/repositories/user.repository.js';
import type { UserRole } from '../../src/db/schema.js';
import { silentLogger, createLogger } from '../../src/shared/logger.js';
import type { TestDatabase } from './databases.js';

export interface TestApp {
  readonly app: App;
  readonly ctx: AppContext;
  close(): Promise<void>;
}

/** Configuration as the server would load it from `env`, with test-friendly defaults. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ FLOWCHAT_DATA_DIR: '.tmp/unused', ...env });
}

/** Builds the app on `database`; workers are started only when `startWorkers` is set. */
export async function startTestApp(database: TestDatabase, env: Record<string, string> = {}, startWorkers = false): Promise<TestApp> {
  const ctx = await compose(testConfig(env), process.env['TEST_LOG'] ? createLogger(process.env['TEST_LOG'], false) : silentLogger(), database);
  const app = await buildApp(ctx);
  await app.ready();
  if (startWorkers) for (const worker of ctx.workers) worker.start();
  return {
    app,
    ctx,
    async close() {
      await app.close();
      if (startWorkers) await Promise.all(ctx.workers.map((worker) => worker.stop()));
    },
  };
}

let userCounter = 0;

/** Creates a user with `role` and a session for it; returns the user and its bearer token. */
export async function signedInUser(ctx: AppContext, role: UserRole = 'admin'): Promise<{ user: PublicUser; token: string; password: string }> {
  userCounter += 1;
  const password = 'correct horse battery';
  const user = await new UserRepository(ctx.db).createUser({
    email: `${role}${userCounter}.${Date.now()}@example.com`,
    name: `${role} ${userCounter}`,
    role,
    password,
  });
  const { token } = await new SessionRepository(ctx.db).create(user.id, ctx.config.sessionTtlSeconds);
  return { user, token, password };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
