import { request } from './client.js';
import type { Channel, ChannelSummary } from './types.js';

/** The channels the signed-in user works (all of them for an admin). */
export async function listMyChannels(signal?: AbortSignal): Promise<readonly ChannelSummary[]> {
  return (await request<{ items: ChannelSummary[] }>('/channels/mine', { signal })).items;
}

export async function listChannels(signal?: AbortSignal): Promise<readonly Channel[]> {
  return (await request<{ items: Channel[] }>('/channels', { signal })).items;
}

export interface ChannelInput {
  readonly name: string;
  readonly type: 'cloud_api' | 'sandbox';
  readonly phone_number_id: string;
  readonly access_token?: string;
  readonly app_secret?: string;
  readonly verify_token?: string;
  readonly business_account_id?: string;
  readonly rate_limit?: number;
}

/** Adds a number; FlowChat checks the token with Meta first (422 `channel_unreachable`). */
export function createChannel(input: ChannelInput): Promise<Channel> {
  return request<Channel>('/channels', { method: 'POST', body: input });
}

export function deleteChannel(id: string): Promise<Channel> {
  return request<Channel>(`/channels/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
