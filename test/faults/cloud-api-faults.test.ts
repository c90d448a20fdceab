/**
 * A Cloud API that misbehaves during a campaign: some first attempts answer after 5 s, some with
 * HTTP 500, some with 130429 (throughput reached), and some never answer at all (Meta took the
 * message but the answer is lost). FlowChat retries only what certainly did not go out, after a
 * backoff, never resends an unanswered send, and settles every message: a status webhook settles
 * an unanswered send, and one without a status fails as `unknown_outcome` after the grace period.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { statusWebhookBody, type RecordedRequest, type ScriptedAnswer } from '../support/cloud-api-stand-in.js';
import { faultEnvironment } from './support/environment.js';
import { importContacts, phones, postWebhook, signIn, startCampaign, startFlowChat, waitFor } from './support/flowchat.js';
import { ledgerOf, messageIdOf, recipientOf } from './support/ledger.js';
import { allSettled, countByStatus, outboundMessages } from './support/outcomes.js';
import { report } from './support/report.js';

type Fault = 'slow' | 'http500' | 'throttled' | 'hang-then-status' | 'hang';

/** One message in ten of each fault, on its first attempt only; the rest are accepted. */
const faultByPosition: ReadonlyMap<number, Fault> = new Map([
  [1, 'slow'],
  [2, 'http500'],
  [3, 'throttled'],
  [4, 'hang-then-status'],
  [5, 'hang'],
]);

const answers: Readonly<Record<Fault, ScriptedAnswer>> = {
  slow: { kind: 'delay', ms: 5_000 },
  http500: { kind: 'http', status: 500, body: 'Internal Server Error' },
  throttled: { kind: 'error', code: 130429 },
  'hang-then-status': { kind: 'hang' },
  hang: { kind: 'hang' },
};

describe('the Cloud API is slow, failing, throttling and timing out', () => {
  const env = faultEnvironment();

  it('backs off, never sends twice, and settles every message', async () => {
    const { database, cloud } = env;
    const ledger = ledgerOf(cloud);
    const faultOf = new Map<string, Fault | 'none'>();
    const statusPosts: Promise<number>[] = [];
    let flowchatUrl = '';
    cloud.script((request: RecordedRequest) => {
      if (request.body?.['status'] === 'read') return undefined;
      const id = messageIdOf(request);
      if (faultOf.has(id)) return { kind: 'success' };
      const fault = faultByPosition.get(faultOf.size % 10) ?? 'none';
      faultOf.set(id, fault);
      if (fault === 'none') return { kind: 'success' };
      if (fault === 'hang' || fault === 'hang-then-status') ledger.taken(request);
      if (fault === 'hang-then-status') {
        // Meta's status arrives while FlowChat still waits for the answer that will never come.
        const body = statusWebhookBody({ wamid: `wamid.HUNG${faultOf.size}`, status: 'delivered', flowchatId: id, recipient: recipientOf(request).replace('+', '') });
        statusPosts.push(sleep(1_000).then(() => postWebhook(flowchatUrl, body, cloud.appSecret)));
      }
      return answers[fault];
    });

    const server = await startFlowChat({
      DATABASE_URL: database.url ?? '',
      ...cloud.env(),
      WHATSAPP_RATE_LIMIT: '50',
      WHATSAPP_REQUEST_TIMEOUT_MS: '8000',
      FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS: '4',
    });
    flowchatUrl = server.url;
    const api = await signIn(server.url);
    await importContacts(api, phones(100, 40_000), 'flaky');
    const campaign = await startCampaign(api, 'flaky');
    await waitFor('every campaign message to settle', () => allSettled(database.db, campaign.id), 90_000, 250);
    assert.ok((await Promise.all(statusPosts)).every((status) => status === 200), 'status webhooks accepted');

    const rows = await outboundMessages(database.db, campaign.id);
    const statusOf = new Map(rows.map((row) => [row.id, row]));
    assert.deepEqual(ledger.duplicateRecipients(), [], 'a recipient received a message twice');
    const expected: Record<Fault | 'none', string[]> = { none: ['sent'], slow: ['sent'], http500: ['sent'], throttled: ['sent'], 'hang-then-status': ['delivered'], hang: ['failed:unknown_outcome'] };
    for (const [id, fault] of faultOf) {
      const row = statusOf.get(id);
      const outcome = row?.status === 'failed' ? `failed:${row.error_code ?? ''}` : row?.status;
      assert.ok(expected[fault].includes(outcome ?? ''), `a message whose first attempt was ${fault} ended ${outcome}`);
    }
    assert.equal(faultOf.size, 100, 'every message was tried');

    const attempts = new Map<string, number[]>();
    for (const request of cloud.sends()) attempts.set(messageIdOf(request), [...(attempts.get(messageIdOf(request)) ?? []), request.at]);
    const waits: number[] = [];
    for (const [id, fault] of faultOf) {
      const times = attempts.get(id) ?? [];
      const retried = fault === 'http500' || fault === 'throttled';
      assert.equal(times.length, retried ? 2 : 1, `a message whose first attempt was ${fault} was requested ${times.length} times`);
      if (retried) waits.push((times[1] ?? 0) - (times[0] ?? 0));
    }
    const shortestWait = Math.min(...waits);
    assert.ok(shortestWait >= 750, `a retry came ${Math.round(shortestWait)} ms after the failure; backoff starts at about 1 s`);

    report(
      'Cloud API answers slowly (5 s), 500, 130429, or never (8 s timeout) on first attempts of a 100-message campaign',
      'backoff before retrying; no duplicates; unanswered sends never resent; every message settles',
      `${countByStatus(rows)}; 0 duplicates; ${waits.length} retries, shortest wait ${(shortestWait / 1000).toFixed(1)} s; ` +
        `unanswered sends: ${statusPosts.length} settled by status webhook, the rest failed unknown_outcome after the grace period`,
    );
  });
});
