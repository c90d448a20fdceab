import { useTranslation } from 'react-i18next';
import type { ChannelSummary } from '../../api/types.js';

interface ChannelFilterProps {
  readonly value: string;
  readonly channels: readonly ChannelSummary[];
  readonly onChange: (channelId: string) => void;
}

/** "All numbers" or one of them, above the conversation list; hidden with a single number. */
export function ChannelFilter({ value, channels, onChange }: ChannelFilterProps) {
  const { t } = useTranslation();
  if (channels.length < 2) return null;
  return (
    <>
      <label className="visually-hidden" htmlFor="conversation-channel">
        {t('channels.number')}
      </label>
      <select id="conversation-channel" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('channels.allNumbers')}</option>
        {channels.map((channel) => (
          <option key={channel.id} value={channel.id}>
            {channel.name}
          </option>
        ))}
      </select>
    </>
  );
}
