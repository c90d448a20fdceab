import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startCloudApiStandIn, signedHeaders, statusWebhookBody, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { api, childDatabase, createContacts, killChild, queueTemplates, signIn, startChild, type ChildDatabase } from '../support/flowchat-child.js';
import type { ServerProcess } from '../support/processes.js';
import { eventually } from '../support/whatsapp.js';

interface ThreadMessage {
  id: string;
  status: string;
  external_id: string | null;
  error?: { code: string };
}

forEachEngine('at most once across a crash', (suite) => {
  let cloud: CloudApiStandIn;
  let database: ChildDatabase;
  const servers: ServerProcess[] = [];

  before(async () => {
    cloud = await startCloudApiStandIn();
    database = childDatabase(suite);
  });
  after(async () => {
    for (const server of servers) await killChild(server);
    await cloud.close();
    database.remove();
  });

  async function start(): Promise<ServerProcess> {
    const server = await startChild(database, {
      ...cloud.env(),
      WHATSAPP_RATE_LIMIT: '20',
      WHATSAPP_REQUEST_TIMEOUT_MS: '60000',
      FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS: '3',
    });
    servers.push(server);
    return server;
  }

  it('never sends a message twice when the process dies with sends in flight, and a restart resumes the rest', async () => {
    let answered = 0;
    cloud.script(() => (answered++ < 5 ? { kind: 'success' } : { kind: 'hang' }));
    const first = await start();
    const token = await signIn(first);
    const contacts = await createContacts(first, token, 5);
    const ids = await queueTemplates(first, token, contacts, 30);

    await cloud.waitForSends(9, 20_000);
    await killChild(first);
    const receivedBeforeCrash = new Set(cloud.sends().map((send) => String(send.body?.['biz_opaque_callback_data'])));
    const inFlightAtCrash = [...receivedBeforeCrash].filter((id) => !cloud.sends().some((send) => send.body?.['biz_opaque_callback_data'] === id && send.wamid));

    cloud.script(undefined);
    const second = await start();
    const settledByWebhook = inFlightAtCrash[0] ?? '';
    const webhook = statusWebhookBody({ wamid: 'wamid.SETTLEDAFTERCRASH', status: 'delivered', flowchatId: settledByWebhook });
    const posted = await fetch(`${second.url}/webhooks/whatsapp`, { method: 'POST', headers: signedHeaders(webhook, cloud.appSecret), body: webhook });
    assert.equal(posted.status, 200);

    const token2 = await signIn(second);
    const final = await eventually(async () => {
      const threads = await Promise.all(contacts.map((id) => api<{ items: ThreadMessage[] }>(second, token2, 'GET', `/api/v1/contacts/${id}/messages?limit=200`)));
      const messages = threads.flatMap((thread) => thread.json.items).filter((message) => ids.includes(message.id));
      return messages.every((message) => message.status !== 'pending') ? messages : undefined;
    }, 30_000, 'every message to settle');

    const received = new Map<string, number>();
    for (const send of cloud.sends()) {
      const id = String(send.body?.['biz_opaque_callback_data']);
      received.set(id, (received.get(id) ?? 0) + 1);
    }
    for (const [id, times] of received) assert.equal(times, 1, `message ${id} reached WhatsApp ${times} times`);
    for (const id of inFlightAtCrash) assert.ok(received.has(id));
    const byId = new Map(final.map((message) => [message.id, message]));
    assert.equal(byId.get(settledByWebhook)?.status, 'delivered', 'a status webhook settled an unknown outcome');
    assert.equal(byId.get(settledByWebhook)?.external_id, 'wamid.SETTLEDAFTERCRASH');
    for (const id of inFlightAtCrash.slice(1)) {
      assert.equal(byId.get(id)?.status, 'failed');
      assert.equal(byId.get(id)?.error?.code, 'unknown_outcome');
    }
    const sent = final.filter((message) => message.status === 'sent');
    for (const message of sent) assert.equal(received.get(message.id), 1);
    assert.ok(sent.length >= 30 - receivedBeforeCrash.size - 5, 'the restart sent what had not been claimed');
    assert.ok(final.filter((message) => message.status === 'failed').every((message) => message.error?.code === 'unknown_outcome'));
  });
});
