/**
 * What the fault tests check in the database after a fault: where each outbound message ended,
 * and whether every webhook FlowChat acknowledged became a stored message. Read straight from
 * the test's own connection, never through the API of a process that may be down.
 */
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database, MessageStatus } from '../../../src/db/schema.js';
import { randomBytes } from 'node:crypto';
import { inboundTextWebhookBody, type CloudApiStandIn } from '../../support/cloud-api-stand-in.js';
import { postWebhook, waitFor } from './flowchat.js';
import { ledgerOf, type Ledger } from './ledger.js';

export interface OutboundRow {
  readonly id: string;
  readonly status: MessageStatus;
  readonly error_code: string | null;
  readonly sending_at: Date | null;
}

const finalStatuses: ReadonlySet<MessageStatus> = new Set(['sent', 'delivered', 'read', 'failed', 'canceled']);

export async function outboundMessages(db: Kysely<Database>, campaignId?: string): Promise<OutboundRow[]> {
  let query = db.selectFrom('messages').select(['id', 'status', 'error_code', 'sending_at']).where('direction', '=', 'outbound');
  if (campaignId !== undefined) query = query.where('campaign_id', '=', campaignId);
  return query.execute();
}

/** True once every outbound message (of the campaign) has a final status. */
export async function allSettled(db: Kysely<Database>, campaignId?: string): Promise<boolean> {
  return (await outboundMessages(db, campaignId)).every((row) => finalStatuses.has(row.status));
}

/**
 * Waits for every message of the campaign to settle, then asserts what people would notice after
 * the fault: every message sent, no recipient messaged twice, every acknowledged webhook stored.
 * Returns the rows and the Cloud API's ledger for the test's own checks.
 */
export async function assertCampaignSentOnce(
  db: Kysely<Database>,
  cloud: CloudApiStandIn,
  campaignId: string,
  acknowledged: readonly string[],
): Promise<{ rows: OutboundRow[]; ledger: Ledger }> {
  await waitFor('every campaign message to settle', () => allSettled(db, campaignId), 60_000, 250);
  await assertInboundStoredEventually(db, acknowledged);
  const rows = await outboundMessages(db, campaignId);
  assert.ok(rows.every((row) => row.status === 'sent'), countByStatus(rows));
  const ledger = ledgerOf(cloud);
  assert.deepEqual(ledger.duplicateRecipients(), [], 'a recipient received the campaign twice');
  return { rows, ledger };
}

/** Counts by status, for the report. */
export function countByStatus(rows: readonly OutboundRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = row.status === 'failed' ? `failed (${row.error_code ?? '?'})` : row.status;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort().map(([status, count]) => `${count} ${status}`).join(', ');
}

/** Ids of messages claimed for sending whose outcome FlowChat had not recorded yet. */
export async function inFlight(db: Kysely<Database>, campaignId?: string): Promise<Set<string>> {
  const rows = await outboundMessages(db, campaignId);
  return new Set(rows.filter((row) => row.status === 'pending' && row.sending_at !== null).map((row) => row.id));
}

/** Asserts that each of `wamids` is stored as an inbound message. */
export async function assertInboundStored(db: Kysely<Database>, wamids: readonly string[]): Promise<void> {
  if (wamids.length === 0) return;
  const stored = new Set<string>();
  for (let start = 0; start < wamids.length; start += 500) {
    const rows = await db.selectFrom('messages').select('external_id').where('direction', '=', 'inbound').where('external_id', 'in', wamids.slice(start, start + 500)).execute();
    for (const row of rows) if (row.external_id) stored.add(row.external_id);
  }
  const missing = wamids.filter((wamid) => !stored.has(wamid));
  assert.deepEqual(missing, [], `${missing.length} of ${wamids.length} acknowledged inbound webhooks are not stored`);
}

/** Waits until each of `wamids` is stored (the processor works through the inbox in the background), then asserts it. */
export async function assertInboundStoredEventually(db: Kysely<Database>, wamids: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertInboundStored(db, wamids);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface InboundFlood {
  /** Stops posting; resolves with the wamids FlowChat answered 200 for, and every status seen. */
  stop(): Promise<{ acknowledged: string[]; statuses: Map<number, number> }>;
}

/**
 * Posts signed inbound texts from `senders` to `url` over `lanes` concurrent connections until
 * stopped. A request that fails or is refused is not counted as acknowledged.
 */
export function floodInbound(url: string, appSecret: string, senders: readonly string[], lanes = 2, pauseMs = 20): InboundFlood {
  const acknowledged: string[] = [];
  const statuses = new Map<number, number>();
  let running = true;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (running) {
      const phone = senders[next % senders.length] ?? '+14155550000';
      next += 1;
      const wamid = `wamid.IN${randomBytes(12).toString('hex')}`;
      let status = 0;
      try {
        status = await postWebhook(url, inboundTextWebhookBody({ from: phone.replace('+', ''), text: `hello ${next}`, wamid }), appSecret, 10_000);
      } catch {
        status = 0;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) acknowledged.push(wamid);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      else if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const all = Promise.all(Array.from({ length: lanes }, () => lane()));
  return {
    async stop() {
      running = false;
      await all;
      return { acknowledged, statuses };
    },
  };
}
