import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { listCampaigns } from '../../api/campaigns.js';
import type { Campaign } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { formatListTime, formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { Screen } from '../../ui/screen.js';
import { CampaignStatus, processed } from './campaign-detail.js';

function columns(t: TFunction): readonly Column<Campaign>[] {
  return [
    { header: t('campaigns.name'), cell: (campaign) => <Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link> },
    { header: t('campaigns.status'), cell: (campaign) => <CampaignStatus status={campaign.status} /> },
    { header: t('campaigns.recipients'), cell: (campaign) => formatNumber(campaign.total) },
    {
      header: t('campaigns.progress'),
      className: 'cell-progress',
      cell: (campaign) => {
        const done = campaign.counts ? processed(campaign.counts) : 0;
        return (
          <ProgressBar
            label={t('campaigns.progressOf', { name: campaign.name })}
            value={done}
            max={Math.max(campaign.total, 1)}
            valueText={t('campaigns.progressValue', { done, total: campaign.total })}
          />
        );
      },
    },
    { header: t('campaigns.created'), cell: (campaign) => (campaign.created_at ? formatListTime(campaign.created_at) : '') },
  ];
}

/** Every campaign with its status and progress, newest first. */
export function CampaignList() {
  const { t } = useTranslation();
  const campaigns = useAsync<readonly Campaign[]>(() => listCampaigns(), []);
  useEvent('campaign.updated', (updated) =>
    campaigns.setData((old) =>
      old?.some((item) => item.id === updated.id)
        ? old.map((item) => (item.id === updated.id ? { ...item, ...updated } : item))
        : old,
    ),
  );
  return (
    <Screen
      title={t('campaigns.title')}
      actions={
        <Link to="/campaigns/new" className="button primary">
          {t('campaigns.newCampaign')}
        </Link>
      }
    >
      <DataTable
        caption={t('campaigns.title')}
        columns={columns(t)}
        list={campaigns}
        rowKey={(campaign) => campaign.id}
        loadingLabel={t('campaigns.loading')}
        empty={t('campaigns.empty')}
      />
    </Screen>
  );
}
