import { listCampaigns } from '../../api/campaigns.js';
import type { Campaign } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { formatListTime, formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { processed } from './campaign-detail.js';

const COLUMNS: readonly Column<Campaign>[] = [
  { header: 'Name', cell: (campaign) => <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> },
  { header: 'Status', cell: (campaign) => <span className={`pill pill-${campaign.status}`}>{campaign.status}</span> },
  { header: 'Recipients', cell: (campaign) => formatNumber(campaign.total) },
  {
    header: 'Progress',
    className: 'cell-progress',
    cell: (campaign) => {
      const done = campaign.counts ? processed(campaign.counts) : 0;
      return (
        <ProgressBar
          label={`Progress of ${campaign.name}`}
          value={done}
          max={Math.max(campaign.total, 1)}
          valueText={`${done} of ${campaign.total}`}
        />
      );
    },
  },
  { header: 'Created', cell: (campaign) => (campaign.created_at ? formatListTime(campaign.created_at) : '') },
];

/** Every campaign with its status and progress, newest first. */
export function CampaignList() {
  const campaigns = useAsync<readonly Campaign[]>(() => listCampaigns(), []);
  useEvent('campaign.updated', (updated) =>
    campaigns.setData((old) =>
      old?.some((item) => item.id === updated.id)
        ? old.map((item) => (item.id === updated.id ? { ...item, ...updated } : item))
        : old,
    ),
  );
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Campaigns</h1>
        <Link to="/campaigns/new" className="button primary">
          New campaign
        </Link>
      </header>
      <DataTable
        caption="Campaigns"
        columns={COLUMNS}
        rows={campaigns.data}
        rowKey={(campaign) => campaign.id}
        request={campaigns}
        loadingLabel="Loading campaigns…"
        empty="No campaigns yet. A campaign sends an approved template to a segment of your contacts."
      />
    </div>
  );
}
