import { listCampaigns } from '../../api/campaigns.js';
import type { Campaign } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { formatListTime, formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { processed } from './campaign-detail.js';

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
  const items = campaigns.data ?? [];
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Campaigns</h1>
        <Link to="/campaigns/new" className="button primary">
          New campaign
        </Link>
      </header>
      <InlineError error={campaigns.error} />
      {campaigns.loading && !campaigns.data ? <Loading label="Loading campaigns…" /> : null}
      {!campaigns.loading && items.length === 0 && !campaigns.error ? (
        <p className="empty">No campaigns yet. A campaign sends an approved template to a segment of your contacts.</p>
      ) : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Campaigns</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Recipients</th>
              <th scope="col">Progress</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((campaign) => {
              const done = campaign.counts ? processed(campaign.counts) : 0;
              return (
                <tr key={campaign.id}>
                  <td>
                    <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>
                  </td>
                  <td>
                    <span className={`pill pill-${campaign.status}`}>{campaign.status}</span>
                  </td>
                  <td>{formatNumber(campaign.total)}</td>
                  <td className="cell-progress">
                    <ProgressBar
                      label={`Progress of ${campaign.name}`}
                      value={done}
                      max={Math.max(campaign.total, 1)}
                      valueText={`${done} of ${campaign.total}`}
                    />
                  </td>
                  <td>{campaign.created_at ? formatListTime(campaign.created_at) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
