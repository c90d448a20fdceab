/**
 * Two, then three FlowChat processes on one PostgreSQL database sending one campaign each: every
 * message goes out exactly once, the shared WHATSAPP_RATE_LIMIT holds in every one-second window
 * as the Cloud API sees it, and an event-stream client on any process sees every process's events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerProcess } from '../support/processes.js';
import { busiestWindow } from '../support/cloud-api-stand-in.js';
import { pidsConnectedTo } from './support/connections.js';
import { faultEnvironment } from './support/environment.js';
import { importContacts, phones, signIn, startCampaign, startFlowChat, waitFor } from './support/flowchat.js';
import { ledgerOf, messageIdOf } from './support/ledger.js';
import { allSettled, countByStatus, outboundMessages } from './support/outcomes.js';
import { report } from './support/report.js';
import { openEventStream } from './support/sse-client.js';

const rateLimit = 50;
const recipients = 300;

describe('several processes on one database', () => {
  const env = faultEnvironment();
  const processes: ServerProcess[] = [];

  for (const count of [2, 3]) {
    it(`${count} processes send each message once, within the shared rate limit, and stream each other's events`, async () => {
      const { database, cloud } = env;
      while (processes.length < count) {
        processes.push(await startFlowChat({ DATABASE_URL: database.url ?? '', ...cloud.env(), WHATSAPP_RATE_LIMIT: String(rateLimit) }));
      }
      const apis = await Promise.all(processes.map((server) => signIn(server.url)));
      const streams = await Promise.all(apis.map((api) => openEventStream(api.url, api.token)));
      const tag = `round${count}`;
      const creator = apis[0];
      assert.ok(creator);
      await importContacts(creator, phones(recipients, count * 10_000), tag);
      const campaign = await startCampaign(creator, tag);
      await waitFor('every campaign message to settle', () => allSettled(database.db, campaign.id), 60_000, 250);

      const rows = await outboundMessages(database.db, campaign.id);
      const ids = new Set(rows.map((row) => row.id));
      assert.equal(rows.length, recipients);
      assert.ok(rows.every((row) => row.status === 'sent'), countByStatus(rows));
      const ledger = ledgerOf(cloud);
      assert.deepEqual(ledger.duplicateRecipients(), [], 'a recipient received a message twice');
      assert.deepEqual(ledger.requestedTwice(), [], 'a message was sent to the Cloud API twice');
      const sends = cloud.sends().filter((request) => ids.has(messageIdOf(request)));
      assert.equal(sends.length, recipients);
      // True one-second windows: the stand-in times arrivals on a thread of its own (not this
      // process's loop, busy with the SSE clients) and forgives only its own measured stalls.
      const busiest = busiestWindow(sends, 1_000);
      assert.ok(busiest.count <= rateLimit, `${busiest.count} sends arrived within one second (${busiest.byStamp} by arrival stamps alone); the limit is ${rateLimit}`);

      const senders = pidsConnectedTo(Number(new URL(cloud.url).port));
      for (const server of processes) assert.ok(senders.has(server.child.pid ?? -1), `process ${server.child.pid} never sent to the Cloud API`);

      const sentSeenBy = (index: number): number =>
        new Set(
          (streams[index]?.events ?? [])
            .filter((event) => event.event === 'message.updated' && (event.data as { status?: string }).status === 'sent')
            .map((event) => (event.data as { id: string }).id)
            .filter((id) => ids.has(id)),
        ).size;
      await waitFor('every stream to show every message sent', () => streams.every((_, index) => sentSeenBy(index) === recipients), 15_000, 100);
      for (const stream of streams) stream.close();

      report(
        `${count} processes on one database, ${recipients}-recipient campaign, WHATSAPP_RATE_LIMIT=${rateLimit}`,
        `each message sent once; ≤ ${rateLimit} sends in any second; an SSE client on any process sees all events`,
        `${recipients} sent, 0 duplicates; busiest one-second window ${busiest.count} (${busiest.byStamp} by stamps alone); all ${count} processes sent; each stream saw ${streams.map((_, index) => sentSeenBy(index)).join('/')} of ${recipients} sent events`,
      );
    });
  }
});
