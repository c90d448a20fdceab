/**
 * FlowChat as a separate process for WhatsApp tests that measure what the Cloud API sees (pacing)
 * or kill the process (at-most-once): `flowchat serve` on a test database, signed in as its first
 * admin, with a few API calls to queue messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineSuite } from './databases.js';
import { uniquePhone } from './phones.js';
import { startServerProcess, type ServerProcess } from './processes.js';

export const CHILD_ADMIN_EMAIL = 'admin@whatsapp.test';
export const CHILD_ADMIN_PASSWORD = 'whatsapp-test-admin-password';

/** Where children of one suite keep their database: the suite's server database, or a data directory. */
export interface ChildDatabase {
  readonly env: Record<string, string>;
  remove(): void;
}

export function childDatabase(suite: EngineSuite): ChildDatabase {
  if (suite.engine === 'server') return { env: { DATABASE_URL: suite.database.url ?? '' }, remove: () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'flowchat-child-'));
  return { env: { DATABASE_URL: '', FLOWCHAT_DATA_DIR: dataDir }, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

export async function startChild(database: ChildDatabase, env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess({ ...database.env, FLOWCHAT_ADMIN_EMAIL: CHILD_ADMIN_EMAIL, FLOWCHAT_ADMIN_PASSWORD: CHILD_ADMIN_PASSWORD, LOG_LEVEL: 'warn', ...env }, 90_000);
}

export async function killChild(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

export async function api<T>(server: ServerProcess, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

export async function signIn(server: ServerProcess): Promise<string> {
  const login = await api<{ token: string }>(server, undefined, 'POST', '/api/v1/auth/login', { email: CHILD_ADMIN_EMAIL, password: CHILD_ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
  return login.json.token;
}

export async function createContacts(server: ServerProcess, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await api<{ id: string }>(server, token, 'POST', '/api/v1/contacts', { phone: uniquePhone(), name: `Customer ${index}` });
    if (created.status !== 201) throw new Error(`creating a contact answered ${created.status}`);
    ids.push(created.json.id);
  }
  return ids;
}

/** Queues `count` template messages spread over `contacts`, in one bulk request; returns their ids. */
export async function queueTemplates(server: ServerProcess, token: string, contacts: readonly string[], count: number): Promise<string[]> {
  const queued = await api<{ messages: Array<{ id: string }> }>(server, token, 'POST', '/api/v1/messages/bulk', {
    messages: Array.from({ length: count }, (_, index) => ({ contact_id: contacts[index % contacts.length], type: 'template', template: { name: 'order_update', language: 'en_US' } })),
  });
  if (queued.status !== 202) throw new Error(`the bulk send answered ${queued.status}`);
  return queued.json.messages.map((message) => message.id);
}
