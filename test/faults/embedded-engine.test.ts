/**
 * The embedded engine (PGlite in FLOWCHAT_DATA_DIR): a second FlowChat on the same data directory
 * refuses to start with a message naming it (two PGlite instances would corrupt it), and a
 * `kill -9` in the middle of a burst of writes loses none that FlowChat acknowledged.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inboundTextWebhookBody, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import type { ServerProcess } from '../support/processes.js';
import { killAll, killFlowChat, phones, postWebhook, signIn, startFlowChat, waitFor, type Api } from './support/flowchat.js';
import { report } from './support/report.js';

describe('embedded engine', () => {
  let dataDir: string;
  let cloud: CloudApiStandIn;
  let env: Record<string, string>;
  let first: ServerProcess;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flowchat-faults-'));
    cloud = await startCloudApiStandIn();
    env = { FLOWCHAT_DATA_DIR: dataDir, ...cloud.env() };
    first = await startFlowChat(env);
  });

  after(async () => {
    await killAll();
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    await assert.rejects(startFlowChat(env), (error: Error) => {
      assert.match(error.message, /already running on the data directory/);
      assert.ok(error.message.includes(dataDir), 'the message names the directory');
      return true;
    });
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200, 'the first process is unharmed');
    report('a second FlowChat on the same embedded data directory', 'refuses to start with a clear message', 'refused: "FlowChat is already running on the data directory …"; the first keeps serving');
  });

  it('loses no acknowledged write to kill -9', async () => {
    const api = await signIn(first.url);
    const created: string[] = [];
    const acknowledged: string[] = [];
    let running = true;
    let counter = 0;
    const writeContacts = async (): Promise<void> => {
      while (running) {
        counter += 1;
        const [phone] = phones(1, 700_000 + counter);
        try {
          const result = await api.call('POST', '/api/v1/contacts', { phone, name: `Durable ${counter}` });
          if (result.status === 201) created.push((result.json as { id: string }).id);
        } catch {
          return;
        }
      }
    };
    const writeWebhooks = async (): Promise<void> => {
      while (running) {
        counter += 1;
        const wamid = `wamid.DURABLE${counter}`;
        try {
          if ((await postWebhook(first.url, inboundTextWebhookBody({ from: '14155557100', text: `durable ${counter}`, wamid }), cloud.appSecret, 10_000)) === 200) acknowledged.push(wamid);
        } catch {
          return;
        }
      }
    };
    const writers = [writeContacts(), writeContacts(), writeWebhooks(), writeWebhooks()];
    await waitFor('a burst of acknowledged writes', () => created.length >= 100 && acknowledged.length >= 100, 60_000, 20);
    await killFlowChat(first, 'SIGKILL');
    running = false;
    await Promise.all(writers);

    const restarted = await startFlowChat(env);
    const again: Api = await signIn(restarted.url);
    const missingContacts: string[] = [];
    for (const id of created) if ((await again.call('GET', `/api/v1/contacts/${id}`)).status !== 200) missingContacts.push(id);
    assert.deepEqual(missingContacts, [], 'acknowledged contacts lost');
    const sender = await again.call('GET', '/api/v1/contacts?q=4155557100');
    const contactId = ((sender.json as { items: Array<{ id: string }> }).items[0] ?? { id: '' }).id;
    const stored = await waitFor('the acknowledged webhooks to be processed', async () => {
      const wamids = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { status: number; json: unknown } = await again.call('GET', `/api/v1/contacts/${contactId}/messages?limit=200${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
        const body = page.json as { items: Array<{ external_id: string | null }>; next_cursor: string | null };
        for (const item of body.items) if (item.external_id) wamids.add(item.external_id);
        cursor = body.next_cursor;
      } while (cursor);
      return acknowledged.every((wamid) => wamids.has(wamid)) ? wamids : undefined;
    }, 30_000, 500);
    assert.ok(acknowledged.every((wamid) => stored.has(wamid)));

    report(
      'kill -9 of FlowChat on the embedded engine during a burst of writes, then restart',
      'no acknowledged write lost',
      `${created.length} acknowledged contacts and ${acknowledged.length} acknowledged webhooks all present after restart (stale lock taken over)`,
    );
  });
});
