/**
 * kill -9 in the middle of a 1,000-recipient campaign while Meta keeps posting inbound webhooks,
 * then a restart on the same PostgreSQL database: no recipient gets the template twice, every
 * message ends sent, failed or canceled (unknown_outcome only for what was in flight at the kill),
 * and every webhook FlowChat answered 200 before dying is stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultEnvironment } from './support/environment.js';
import { ledgerOf } from './support/ledger.js';
import { importContacts, killFlowChat, phones, signIn, startCampaign, startFlowChat, waitFor } from './support/flowchat.js';
import { allSettled, assertInboundStoredEventually, countByStatus, floodInbound, inFlight, outboundMessages } from './support/outcomes.js';
import { report } from './support/report.js';

describe('kill -9 during a campaign', () => {
  const env = faultEnvironment();

  it('restarts without a duplicate send, settles every message and keeps every acknowledged webhook', async () => {
    const { database, cloud } = env;
    const settings = { DATABASE_URL: database.url ?? '', ...cloud.env(), WHATSAPP_RATE_LIMIT: '100', FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS: '3' };
    const first = await startFlowChat(settings);
    const api = await signIn(first.url);
    await importContacts(api, phones(1_000), 'crash');
    const campaign = await startCampaign(api, 'crash');
    assert.equal(campaign.total, 1_000);

    const inbound = floodInbound(first.url, cloud.appSecret, phones(50, 500_000));
    await cloud.waitForSends(300, 60_000);
    await killFlowChat(first, 'SIGKILL');
    const sentBeforeKill = cloud.sends().length;
    const { acknowledged } = await inbound.stop();
    const unsettledAtKill = await inFlight(database.db, campaign.id);

    const second = await startFlowChat(settings);
    await waitFor('every campaign message to settle', () => allSettled(database.db, campaign.id), 90_000, 250);
    await assertInboundStoredEventually(database.db, acknowledged);

    const rows = await outboundMessages(database.db, campaign.id);
    const ledger = ledgerOf(cloud);
    assert.deepEqual(ledger.duplicateRecipients(), [], 'a recipient received the campaign twice');
    assert.deepEqual(ledger.requestedTwice(), [], 'a message was sent to the Cloud API twice');

    const unknown = rows.filter((row) => row.status === 'failed');
    for (const row of unknown) {
      assert.equal(row.error_code, 'unknown_outcome', `message ${row.id} failed with ${row.error_code ?? 'no code'}`);
      assert.ok(unsettledAtKill.has(row.id), `message ${row.id} is unknown_outcome but was not in flight at the kill`);
    }
    const delivered = ledger.delivered();
    for (const row of rows.filter((candidate) => candidate.status === 'sent')) assert.ok(delivered.has(row.id), `message ${row.id} is sent but the Cloud API never got it`);
    assert.equal(rows.length, 1_000);
    const final = await (await signIn(second.url)).call('GET', `/api/v1/campaigns/${campaign.id}`);
    assert.equal((final.json as { status: string }).status, 'completed');

    report(
      'kill -9 during a 1,000-recipient campaign, inbound webhooks arriving, then restart',
      'no recipient twice; every message sent/failed/canceled, unknown_outcome only for in-flight; every acknowledged webhook stored',
      `killed after ${sentBeforeKill} sends with ${unsettledAtKill.size} in flight; ${countByStatus(rows)}; 0 duplicates; ${acknowledged.length}/${acknowledged.length} acknowledged webhooks stored`,
    );
  });

});
