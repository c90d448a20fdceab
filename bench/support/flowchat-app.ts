/**
 * FlowChat's HTTP application in the benchmark's process, on either engine: the real context and
 * routes listening on an ephemeral loopback port, with no background workers started (a sender or
 * campaign worker would add load of its own to what is measured), and a signed-in admin.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/env.js';
import { compose } from '../../src/compose.js';
import type { AppContext } from '../../src/app-context.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { UserRepository } from '../../src/db/repositories/user.repository.js';
import { buildApp } from '../../src/http/app.js';
import type { Principal } from '../../src/auth/auth.service.js';
import { silentLogger } from '../../src/shared/logger.js';

export interface BenchApp {
  readonly ctx: AppContext;
  readonly url: string;
  /** A Bearer token of the admin. */
  readonly token: string;
  readonly principal: Principal;
  close(): Promise<void>;
}

const email = 'bench-admin@flowchat.test';
const password = 'benchmark-password';

export async function startBenchApp(database: DatabaseHandle, env: Readonly<Record<string, string>> = {}): Promise<BenchApp> {
  const logger = silentLogger();
  const ctx = await compose(loadConfig({ LOG_LEVEL: 'silent', ...env }), logger, database);
  const app = await buildApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const users = new UserRepository(database.db);
  const user = (await users.findByEmail(email)) ?? (await users.createUser({ email, name: 'Bench', role: 'admin', password }));
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`the benchmark could not sign in: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return { ctx, url, token, principal: { type: 'user', userId: user.id, role: 'admin' }, close: () => app.close() };
}
