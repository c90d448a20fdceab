/**
 * SIGTERM while a campaign is sending (each Cloud API answer takes a second) and webhooks and API
 * calls keep arriving: FlowChat stops accepting, lets the sends already under way finish and
 * records them, exits within 10 s leaving no message in an unknown state, and a restart finishes
 * the campaign with no recipient messaged twice.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { faultEnvironment } from './support/environment.js';
import { importContacts, phones, signIn, startCampaign, startFlowChat } from './support/flowchat.js';
import { assertCampaignSentOnce, countByStatus, floodInbound, inFlight } from './support/outcomes.js';
import { report } from './support/report.js';

describe('SIGTERM under load', () => {
  const env = faultEnvironment();

  it('finishes what is in flight, exits within 10 s, and a restart finishes the work', async () => {
    const { database, cloud } = env;
    cloud.script((request) => (request.body?.['status'] === 'read' ? undefined : { kind: 'delay', ms: 1_000 }));
    const settings = { DATABASE_URL: database.url ?? '', ...cloud.env(), WHATSAPP_RATE_LIMIT: '50' };
    const first = await startFlowChat(settings);
    const api = await signIn(first.url);
    await importContacts(api, phones(300, 50_000), 'drain');
    const campaign = await startCampaign(api, 'drain');
    const inbound = floodInbound(first.url, cloud.appSecret, phones(20, 600_000));
    await cloud.waitForSends(60, 30_000);

    const signalledAt = performance.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const exitMs = performance.now() - signalledAt;
    const { acknowledged, statuses } = await inbound.stop();
    const refusedAfter = await fetch(`${first.url}/healthz`).then((response) => response.status, () => 'connection refused');
    const leftInFlight = await inFlight(database.db, campaign.id);
    const sendsBeforeExit = cloud.sends().length;
    const answeredBeforeExit = cloud.sends().filter((request) => request.wamid !== undefined).length;

    assert.equal(code, 0, 'a clean exit');
    assert.ok(exitMs <= 10_000, `exited ${Math.round(exitMs)} ms after SIGTERM`);
    assert.equal(refusedAfter, 'connection refused');
    assert.equal(leftInFlight.size, 0, 'every send under way at SIGTERM was finished and recorded, every queued one put back');

    const second = await startFlowChat(settings);
    const { rows, ledger } = await assertCampaignSentOnce(database.db, cloud, campaign.id, acknowledged);
    assert.deepEqual(ledger.requestedTwice(), [], 'a message was sent twice');
    assert.equal(second.child.exitCode, null);

    report(
      'SIGTERM during a 300-recipient campaign (1 s Cloud API answers) with webhooks arriving, then restart',
      'stop accepting; finish in-flight; exit within 10 s; a restart finishes the work',
      `exit ${code} after ${(exitMs / 1000).toFixed(1)} s; ${answeredBeforeExit}/${sendsBeforeExit} sends under way answered and recorded, 0 left unknown; ` +
        `new connections refused; ${acknowledged.length} acknowledged webhooks stored (answers: ${[...statuses].map(([status, count]) => `${count}×${status || 'refused'}`).join(', ')}); after restart ${countByStatus(rows)}, 0 duplicates`,
    );
  });
});
