import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { startCloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { startServerProcess, type ServerProcess } from '../support/processes.js';
import { eventually } from '../support/whatsapp.js';

const ADMIN_EMAIL = 'admin@campaign-crash.test';
const ADMIN_PASSWORD = 'campaign-crash-password';
const RECIPIENTS = 40;

type Counts = Record<'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled', number>;

async function call<T>(url: string, token: string, method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; json: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

forEachEngine('a campaign across a crash', (suite) => {
  it('a process killed in the middle of a campaign, then a restart: every contact messaged at most once, every message accounted for', async () => {
    const cloud = await startCloudApiStandIn();
    // Each send takes a moment to answer, so some are in flight when the process dies.
    cloud.script(() => ({ kind: 'delay', ms: 40 }));
    const dataDir = suite.engine === 'embedded' ? mkdtempSync(join(tmpdir(), 'flowchat-crash-')) : undefined;
    const env = {
      ...cloud.env(),
      WHATSAPP_RATE_LIMIT: '20',
      FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS: '2',
      FLOWCHAT_ADMIN_EMAIL: ADMIN_EMAIL,
      FLOWCHAT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      DATABASE_URL: suite.database.url ?? '',
      FLOWCHAT_DATA_DIR: dataDir ?? '',
    };
    const processes: ServerProcess[] = [];
    try {
      const first = await startServerProcess(env, 60_000);
      processes.push(first);
      let token = await signIn(first.url);
      const phones = Array.from({ length: RECIPIENTS }, () => uniquePhone());
      const csv = ['phone,name,tags', ...phones.map((phone, index) => `${phone},Recipient ${index},crash`)].join('\n');
      const imported = await call<{ created: number }>(first.url, token, 'POST', '/api/v1/contacts/import', csv, 'text/csv');
      assert.equal(imported.json.created, RECIPIENTS);
      const created = await call<{ id: string; total: number }>(first.url, token, 'POST', '/api/v1/campaigns', JSON.stringify({
        name: 'Crash', template: { name: 'notice', language: 'en_US' }, audience: { tags: ['crash'] },
      }));
      assert.equal(created.status, 201);
      assert.equal(created.json.total, RECIPIENTS);

      await cloud.waitForSends(10, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}; the process printed:\n${first.output()}`);
      });
      first.child.kill('SIGKILL');
      await first.exited;
      const beforeRestart = cloud.sends().length;
      assert.ok(beforeRestart < RECIPIENTS, 'killed in the middle');

      const second = await startServerProcess(env, 60_000);
      processes.push(second);
      token = await signIn(second.url);
      const done = await eventually(async () => {
        const campaign = await call<{ status: string; total: number; counts: Counts }>(second.url, token, 'GET', `/api/v1/campaigns/${created.json.id}`);
        return campaign.json.status === 'completed' ? campaign.json : undefined;
      }, 60_000, 'the campaign to complete after the restart');

      const received = cloud.sends().map((send) => String(send.body?.['to']));
      assert.equal(new Set(received).size, received.length, 'no contact messaged twice');
      assert.ok(received.every((phone) => phones.includes(phone)));
      assert.ok(received.length > beforeRestart, 'the restarted process carried on');
      const { counts } = done;
      assert.equal(Object.values(counts).reduce((sum, n) => sum + n, 0), done.total);
      assert.equal(counts.pending + counts.canceled, 0);
      // What the dead process had claimed but not recorded is failed as an unknown outcome, never resent.
      assert.ok(counts.sent <= received.length);
      assert.equal(counts.sent + counts.failed, RECIPIENTS);
      const failed = await call<{ items: { error: { code: string } | null }[] }>(second.url, token, 'GET', `/api/v1/campaigns/${created.json.id}/recipients?status=failed`);
      assert.ok(failed.json.items.every((item) => item.error?.code === 'unknown_outcome'));
    } finally {
      for (const process of processes) if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
      await Promise.all(processes.map((process) => process.exited));
      await cloud.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
