import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeCampaign, getCampaign } from '../../api/campaigns.js';
import type { CampaignAction } from '../../api/campaigns.js';
import type { Campaign, CampaignCounts } from '../../api/types.js';
import { useEvent, useStreamResumed } from '../../events/use-event.js';
import { formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { FunnelChart } from './funnel-chart.js';
import { RecipientReport } from './recipient-report.js';

const NO_COUNTS: CampaignCounts = { pending: 0, sent: 0, delivered: 0, read: 0, failed: 0, canceled: 0 };
const REPORT_REFRESH_MS = 3000;

/** Messages that have left the queue one way or another. */
export function processed(counts: CampaignCounts): number {
  return counts.sent + counts.delivered + counts.read + counts.failed + counts.canceled;
}

function actionsFor(status: Campaign['status']): readonly CampaignAction[] {
  if (status === 'running' || status === 'scheduled') return ['pause', 'cancel'];
  if (status === 'paused') return ['resume', 'cancel'];
  if (status === 'draft') return ['cancel'];
  return [];
}

/** A campaign's status as a coloured pill, in the user's language. */
export function CampaignStatus({ status }: { readonly status: Campaign['status'] }) {
  const { t } = useTranslation();
  return <span className={`pill pill-${status}`}>{t(`campaigns.statuses.${status}`)}</span>;
}

/** One campaign, updated live: progress, funnel, lifecycle buttons and the recipient report. */
export function CampaignDetail({ id }: { readonly id: string }) {
  const { t } = useTranslation();
  const campaign = useAsync<Campaign>(() => getCampaign(id), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [reportVersion, setReportVersion] = useState(0);
  const lastReportRefresh = useRef(0);
  const pendingRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (pendingRefresh.current) clearTimeout(pendingRefresh.current);
    },
    [],
  );

  // A running campaign emits an event per message; the report refetches at most every few seconds.
  const refreshReport = () => {
    if (pendingRefresh.current) return;
    const wait = Math.max(0, lastReportRefresh.current + REPORT_REFRESH_MS - Date.now());
    pendingRefresh.current = setTimeout(() => {
      pendingRefresh.current = null;
      lastReportRefresh.current = Date.now();
      setReportVersion((value) => value + 1);
    }, wait);
  };

  useEvent('campaign.updated', (updated) => {
    if (updated.id !== id) return;
    campaign.setData((old) => ({ ...old, ...updated }));
    refreshReport();
  });
  useStreamResumed(campaign.reload);

  const act = async (action: CampaignAction) => {
    if (action === 'cancel' && !window.confirm(t('campaigns.detail.confirmCancel'))) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await changeCampaign(id, action);
      campaign.setData((old) => ({ ...old, ...updated }));
      refreshReport();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  if (!campaign.data) {
    return campaign.error ? <InlineError error={campaign.error} /> : <Loading label={t('campaigns.detail.loading')} />;
  }
  const data = campaign.data;
  const counts = data.counts ?? NO_COUNTS;
  const done = processed(counts);
  return (
    <div className="screen">
      <p>
        <Link to="/campaigns">{t('campaigns.detail.allCampaigns')}</Link>
      </p>
      <header className="screen-header">
        <h1>{data.name}</h1>
        <CampaignStatus status={data.status} />
      </header>
      {data.status === 'paused' && data.paused_reason === 'template_paused' ? (
        <p className="inline-error" role="status">
          {t('campaigns.detail.templatePaused')}
        </p>
      ) : null}
      <section className="card" aria-label={t('campaigns.detail.progress')}>
        <ProgressBar
          label={t('campaigns.detail.progressLabel')}
          value={done}
          max={Math.max(data.total, 1)}
          valueText={t('campaigns.detail.processed', { done: formatNumber(done), total: formatNumber(data.total) })}
        />
        <p className="progress-caption">
          {[
            t('campaigns.detail.processed', { done: formatNumber(done), total: formatNumber(data.total) }),
            t('campaigns.detail.waiting', { number: formatNumber(counts.pending) }),
            t('campaigns.detail.canceled', { number: formatNumber(counts.canceled) }),
            ...(data.skipped ? [t('campaigns.detail.skipped', { number: formatNumber(data.skipped) })] : []),
          ].join(' · ')}
        </p>
        <div className="actions">
          {actionsFor(data.status).map((action) => (
            <button
              key={action}
              type="button"
              disabled={busy}
              className={action === 'cancel' ? 'danger' : undefined}
              onClick={() => void act(action)}
            >
              {t(`campaigns.detail.${action}`)}
            </button>
          ))}
        </div>
        <InlineError error={error} />
      </section>
      <section className="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">{t('campaigns.detail.funnel')}</h2>
        <FunnelChart total={data.total} counts={counts} />
      </section>
      <RecipientReport campaignId={id} version={reportVersion} />
    </div>
  );
}
