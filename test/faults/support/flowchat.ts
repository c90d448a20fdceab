/**
 * Real FlowChat processes for the fault suite, and the few API calls the fault tests make against
 * them: sign in, import contacts, start a campaign, post signed webhooks. Every process started
 * here is remembered, so a file can scan everything FlowChat printed and kill what is left.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { signedHeaders } from '../../support/cloud-api-stand-in.js';
import { startServerProcess, type ServerProcess } from '../../support/processes.js';

export const ADMIN_EMAIL = 'admin@faults.test';
export const ADMIN_PASSWORD = 'fault-suite-admin-password-5e1';

const started: ServerProcess[] = [];

/** Everything every FlowChat process of this test file printed (kept after they exit). */
export function everythingPrinted(): string {
  return started.map((process) => process.output()).join('\n');
}

/**
 * `flowchat serve` with the suite's admin, quiet sandbox timings and `env` on top. The child's
 * WhatsApp and database settings come only from `env`, never from the developer's shell.
 */
export async function startFlowChat(env: Record<string, string>): Promise<ServerProcess> {
  const inherited: Record<string, string> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('WHATSAPP_') || key === 'DATABASE_URL') inherited[key] = '';
  const server = await startServerProcess({
    ...inherited,
    FLOWCHAT_ADMIN_EMAIL: ADMIN_EMAIL,
    FLOWCHAT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
  }, 60_000);
  started.push(server);
  return server;
}

/** Kills with `signal` and waits for the exit; returns the exit code (null when killed). */
export async function killFlowChat(server: ServerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.child.exitCode;
  server.child.kill(signal);
  return server.exited;
}

/** Kills every process this file started that still runs. */
export async function killAll(): Promise<void> {
  await Promise.all(started.map((server) => killFlowChat(server)));
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface Api {
  readonly url: string;
  readonly token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown; text: string }>;
}

/** Calls the API with `token` as a bearer; bodies are JSON unless `content-type` says otherwise. */
export function apiAt(url: string, token: string): Api {
  return {
    url,
    token,
    async call(method, path, body, headers = {}) {
      const raw = typeof body === 'string' || body === undefined ? body : JSON.stringify(body);
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(raw === undefined ? {} : { body: raw }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    },
  };
}

/** Signs in as the suite's admin on `url`. */
export async function signIn(url: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Api> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return apiAt(url, token);
}

/** `count` distinct phone numbers (+1 415 2xx xxxx), the same for the same `offset`. */
export function phones(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => `+1415${String(2_000_000 + offset + index).padStart(7, '0')}`);
}

/** Imports contacts with `phones` tagged `tag` through the CSV import. */
export async function importContacts(api: Api, numbers: readonly string[], tag: string): Promise<void> {
  const csv = ['phone,name,tags', ...numbers.map((phone, index) => `${phone},Recipient ${index},${tag}`)].join('\n');
  const result = await api.call('POST', '/api/v1/contacts/import', csv, { 'content-type': 'text/csv' });
  const counts = result.json as { created?: number; errors?: unknown[] };
  if (result.status !== 200 || counts.created !== numbers.length) throw new Error(`import failed: ${result.status} ${result.text.slice(0, 500)}`);
}

/** Starts a template campaign to every contact tagged `tag`; returns its id and total. */
export async function startCampaign(api: Api, tag: string): Promise<{ id: string; total: number }> {
  const result = await api.call('POST', '/api/v1/campaigns', {
    name: `fault campaign ${tag}`,
    template: { name: 'fault_notice', language: 'en_US' },
    audience: { tags: [tag] },
  });
  if (result.status !== 201) throw new Error(`campaign not created: ${result.status} ${result.text}`);
  return result.json as { id: string; total: number };
}

/** Posts `body` to FlowChat's webhook signed with `appSecret` as Meta signs (unsigned when undefined); returns the status. */
export async function postWebhook(url: string, body: string | Buffer, appSecret: string | undefined, timeoutMs = 30_000): Promise<number> {
  const response = await fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: appSecret === undefined ? { 'content-type': 'application/json' } : signedHeaders(body, appSecret),
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer();
  return response.status;
}
