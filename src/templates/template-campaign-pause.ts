/**
 * Campaigns whose template WhatsApp paused or disabled stop by themselves: their queued messages
 * are held (kept `pending`, as a manual pause does) and the campaign is `paused` with
 * `paused_reason: "template_paused"`, audited as the system's doing and announced.
 */
import { sql } from 'kysely';
import { recordAudit, systemActor } from '../audit/record-audit.js';
import { CampaignRepository } from '../db/repositories/campaign.repository.js';
import type { Campaign } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { announceCampaign } from '../campaigns/announce-campaign.js';

export const TEMPLATE_PAUSED = 'template_paused';

/** Template statuses that stop the campaigns using the template. */
export const stoppingStatuses: readonly string[] = ['PAUSED', 'DISABLED'];

async function pause(db: Executor, campaigns: readonly Campaign[]): Promise<number> {
  const repository = new CampaignRepository(db);
  let paused = 0;
  for (const campaign of campaigns) {
    const held = await repository.holdMessages(campaign.id);
    const moved = await repository.transition(campaign.id, ['scheduled', 'running'], 'paused');
    if (!moved) continue;
    const current = await db.updateTable('campaigns').set({ paused_reason: TEMPLATE_PAUSED }).where('id', '=', moved.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(db, { actor: systemActor, action: 'campaign.paused', target: { type: 'campaign', id: current.id }, details: { name: current.name, messages: held, reason: TEMPLATE_PAUSED } });
    await announceCampaign(db, current);
    paused += 1;
  }
  return paused;
}

/**
 * Pauses every scheduled or running campaign sending the template `name` in `language` from one of
 * `channelIds` (the channels of the WABA the template belongs to); returns how many.
 */
export async function pauseCampaignsUsingTemplate(db: Executor, template: { readonly name: string; readonly language: string }, channelIds: readonly string[]): Promise<number> {
  if (channelIds.length === 0) return 0;
  const campaigns = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('status', 'in', ['scheduled', 'running'])
    .where('channel_id', 'in', [...channelIds])
    .where(sql<boolean>`template->>'name' = ${template.name} AND coalesce(template->>'language', template->'language'->>'code') = ${template.language}`)
    .orderBy('id')
    .forUpdate()
    .execute();
  return pause(db, campaigns);
}

/** Pauses the campaign (a send of it failed with 132015 or 132016); returns whether it paused now. */
export async function pauseCampaignForTemplate(db: Executor, campaignId: string): Promise<boolean> {
  const campaign = await new CampaignRepository(db).findForUpdate(campaignId);
  if (!campaign || !['scheduled', 'running'].includes(campaign.status)) return false;
  return (await pause(db, [campaign])) > 0;
}
