/**
 * Campaign enqueue: CampaignService.create (the route's service: the campaign, one INSERT …
 * SELECT of its messages, audit entry and event, in one transaction) against a raw
 * INSERT … SELECT of the same rows in one transaction with the campaign row.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { AppContext } from '../../src/app-context.js';
import type { Principal } from '../../src/auth/auth.service.js';
import { timedTransaction } from '../support/timed-transaction.js';

export const campaignTemplate = { name: 'spring_sale', language: 'en_US' } as const;

/** Milliseconds for FlowChat to create a campaign to every contact tagged `tag`. */
export async function enqueueThroughService(ctx: AppContext, principal: Principal, tag: string, expected: number): Promise<number> {
  const service = ctx.services.campaigns;
  const started = performance.now();
  const campaign = await service.create(principal, { name: 'Spring sale', template: campaignTemplate, audience: { tags: [tag] } });
  const elapsed = performance.now() - started;
  if (campaign.total !== expected) throw new Error(`the campaign enqueued ${campaign.total} messages, expected ${expected}`);
  return elapsed;
}

/** Milliseconds for the floor: the campaign row and one INSERT … SELECT of its messages. */
export async function enqueueRaw(pool: pg.Pool, tag: string): Promise<number> {
  return timedTransaction(pool, async (client) => {
    const campaign = await client.query<{ id: string }>(
      "INSERT INTO campaigns (name, template, audience, status) VALUES ('raw', $1, '{}', 'running') RETURNING id",
      [JSON.stringify(campaignTemplate)],
    );
    await client.query(
      `INSERT INTO messages (contact_id, campaign_id, type, direction, status, template)
       SELECT c.id, $1, 'template', 'outbound', 'pending', $2::jsonb
       FROM contacts c WHERE c.tags @> $3 AND c.opted_out_at IS NULL AND c.phone IS NOT NULL`,
      [campaign.rows[0]?.id, JSON.stringify(campaignTemplate), [tag]],
    );
  });
}

/** Removes every campaign and message, so the next round starts from the same state. */
export async function clearCampaigns(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE campaigns, messages CASCADE');
  await pool.query('VACUUM ANALYZE messages');
}
