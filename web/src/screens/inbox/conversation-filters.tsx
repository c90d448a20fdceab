import { useTranslation } from 'react-i18next';
import type { ChannelSummary } from '../../api/types.js';
import { ChannelFilter } from '../channels/channel-filter.js';
import type { ConversationFilters } from './use-conversations.js';

interface ConversationFiltersBarProps {
  readonly filters: ConversationFilters;
  readonly onChange: (filters: ConversationFilters) => void;
  readonly channels: readonly ChannelSummary[];
}

/** Search, open/closed, tag and "assigned to me" above the conversation list. */
export function ConversationFiltersBar({ filters, onChange, channels }: ConversationFiltersBarProps) {
  const { t } = useTranslation();
  return (
    <div className="conversation-filters" role="search">
      <label className="visually-hidden" htmlFor="conversation-search">
        {t('inbox.filters.search')}
      </label>
      <input
        id="conversation-search"
        type="search"
        placeholder={t('inbox.filters.searchPlaceholder')}
        value={filters.q}
        onChange={(event) => onChange({ ...filters, q: event.target.value })}
      />
      <div className="filter-row">
        <label className="visually-hidden" htmlFor="conversation-status">
          {t('inbox.filters.status')}
        </label>
        <select
          id="conversation-status"
          value={filters.status}
          onChange={(event) => onChange({ ...filters, status: event.target.value as ConversationFilters['status'] })}
        >
          <option value="open">{t('inbox.filters.open')}</option>
          <option value="closed">{t('inbox.filters.closed')}</option>
          <option value="all">{t('inbox.filters.all')}</option>
        </select>
        <label className="visually-hidden" htmlFor="conversation-tag">
          {t('inbox.filters.tag')}
        </label>
        <input
          id="conversation-tag"
          placeholder={t('inbox.filters.tag')}
          value={filters.tag}
          onChange={(event) => onChange({ ...filters, tag: event.target.value })}
        />
        <ChannelFilter value={filters.channel} channels={channels} onChange={(channel) => onChange({ ...filters, channel })} />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filters.mine}
            onChange={(event) => onChange({ ...filters, mine: event.target.checked })}
          />
          {t('inbox.filters.mine')}
        </label>
      </div>
    </div>
  );
}
