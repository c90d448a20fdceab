import { itemsOf, request } from './client.js';
import type { Audience, Campaign, Contact, Page, Recipient, Segment, TemplateRef } from './types.js';

export async function listCampaigns(): Promise<readonly Campaign[]> {
  return itemsOf(await request<{ items: Campaign[] } | Campaign[]>('/campaigns'));
}

export function getCampaign(id: string): Promise<Campaign> {
  return request<Campaign>(`/campaigns/${encodeURIComponent(id)}`);
}

/** A campaign reaches either a described audience or a saved segment, which stays linked. */
export type CampaignInput = {
  readonly name: string;
  readonly template: TemplateRef;
} & ({ readonly audience: Audience } | { readonly segment_id: string });

export function createCampaign(input: CampaignInput): Promise<Campaign> {
  return request<Campaign>('/campaigns', { method: 'POST', body: input });
}

export type CampaignAction = 'pause' | 'resume' | 'cancel';

export function changeCampaign(id: string, action: CampaignAction): Promise<Campaign> {
  return request<Campaign>(`/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
}

export function listRecipients(id: string, status: string, cursor: string | null): Promise<Page<Recipient>> {
  return request<Page<Recipient>>(`/campaigns/${encodeURIComponent(id)}/recipients`, {
    query: { status, cursor, limit: 50 },
  });
}

export async function listSegments(): Promise<readonly Segment[]> {
  return itemsOf(await request<{ items: Segment[] } | Segment[]>('/segments'));
}

export function createSegment(name: string, filter: Audience): Promise<Segment> {
  return request<Segment>('/segments', { method: 'POST', body: { name, filter } });
}

export interface AudiencePreview {
  readonly count: number;
  readonly items: readonly Contact[];
}

export function previewAudience(audience: Audience, signal?: AbortSignal): Promise<AudiencePreview> {
  return request<AudiencePreview>('/segments/preview', { method: 'POST', body: { audience }, signal });
}
