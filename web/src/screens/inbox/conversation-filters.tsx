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
  return (
    <div className="conversation-filters" role="search">
      <label className="visually-hidden" htmlFor="conversation-search">
        Search conversations
      </label>
      <input
        id="conversation-search"
        type="search"
        placeholder="Search name, phone, email"
        value={filters.q}
        onChange={(event) => onChange({ ...filters, q: event.target.value })}
      />
      <div className="filter-row">
        <label className="visually-hidden" htmlFor="conversation-status">
          Status
        </label>
        <select
          id="conversation-status"
          value={filters.status}
          onChange={(event) => onChange({ ...filters, status: event.target.value as ConversationFilters['status'] })}
        >
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          <option value="all">All</option>
        </select>
        <label className="visually-hidden" htmlFor="conversation-tag">
          Tag
        </label>
        <input
          id="conversation-tag"
          placeholder="Tag"
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
          Assigned to me
        </label>
      </div>
    </div>
  );
}
