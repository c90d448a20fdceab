import type { ChannelSummary } from '../../api/types.js';

interface ChannelFilterProps {
  readonly value: string;
  readonly channels: readonly ChannelSummary[];
  readonly onChange: (channelId: string) => void;
}

/** "All numbers" or one of them, above the conversation list; hidden with a single number. */
export function ChannelFilter({ value, channels, onChange }: ChannelFilterProps) {
  if (channels.length < 2) return null;
  return (
    <>
      <label className="visually-hidden" htmlFor="conversation-channel">
        Number
      </label>
      <select id="conversation-channel" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All numbers</option>
        {channels.map((channel) => (
          <option key={channel.id} value={channel.id}>
            {channel.name}
          </option>
        ))}
      </select>
    </>
  );
}
