import { listMyChannels } from '../../api/channels.js';
import type { ChannelSummary } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';

/** The channels the signed-in user works; the inbox shows filters and badges only when there are several. */
export function useMyChannels(): readonly ChannelSummary[] {
  return useAsync<readonly ChannelSummary[]>((signal) => listMyChannels(signal), []).data ?? [];
}
