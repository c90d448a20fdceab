import type { ChannelSummary } from '../../api/types.js';

interface ChannelBadgeProps {
  readonly channelId: string | null | undefined;
  readonly channels: readonly ChannelSummary[];
}

/** The number a conversation belongs to, shown when the user works more than one. */
export function ChannelBadge({ channelId, channels }: ChannelBadgeProps) {
  if (channels.length < 2) return null;
  const channel = channels.find((item) => item.id === channelId);
  if (!channel) return null;
  return (
    <span className="channel-badge" title={channel.display_phone_number ?? undefined}>
      {channel.name}
    </span>
  );
}
