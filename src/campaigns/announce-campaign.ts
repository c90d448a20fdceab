/** Announces a campaign's current standing: a `campaign.updated` event, and the counts it showed marked as announced. */
import { CampaignRepository, emptyCounts, type CampaignCounts } from '../db/repositories/campaign.repository.js';
import type { Campaign, JsonObject } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentCampaign, type CampaignResource } from '../resources/campaign.resource.js';

/** Records `campaign.updated` with `campaign` and its current counts; returns the resource. */
export async function announceCampaign(db: Executor, campaign: Campaign, counts?: CampaignCounts): Promise<CampaignResource> {
  const repository = new CampaignRepository(db);
  const current = counts ?? (await repository.counts([campaign.id])).get(campaign.id) ?? emptyCounts();
  const resource = presentCampaign(campaign, current);
  await recordEvent(db, 'campaign.updated', resource as unknown as JsonObject);
  await repository.markAnnounced(campaign.id, current);
  return resource;
}
