import { useEffect, useRef, useState } from 'react';
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

const ACTION_LABELS: Readonly<Record<CampaignAction, string>> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel campaign' };

/** One campaign, updated live: progress, funnel, lifecycle buttons and the recipient report. */
export function CampaignDetail({ id }: { readonly id: string }) {
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
    if (action === 'cancel' && !window.confirm('Cancel this campaign? Messages not yet sent will not be sent.')) return;
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
    return campaign.error ? <InlineError error={campaign.error} /> : <Loading label="Loading campaign…" />;
  }
  const data = campaign.data;
  const counts = data.counts ?? NO_COUNTS;
  const done = processed(counts);
  return (
    <div className="screen">
      <p>
        <Link to="/campaigns">← All campaigns</Link>
      </p>
      <header className="screen-header">
        <h1>{data.name}</h1>
        <span className={`pill pill-${data.status}`}>{data.status}</span>
      </header>
      {data.status === 'paused' && data.paused_reason === 'template_paused' ? (
        <p className="inline-error" role="status">
          WhatsApp paused or disabled this campaign’s template; its messages wait. Resume once the template is approved again.
        </p>
      ) : null}
      <section className="card" aria-label="Progress">
        <ProgressBar
          label="Campaign progress"
          value={done}
          max={Math.max(data.total, 1)}
          valueText={`${formatNumber(done)} of ${formatNumber(data.total)} processed`}
        />
        <p className="progress-caption">
          {formatNumber(done)} of {formatNumber(data.total)} processed · {formatNumber(counts.pending)} waiting ·{' '}
          {formatNumber(counts.canceled)} canceled
          {data.skipped ? ` · ${formatNumber(data.skipped)} skipped for a missing variable` : ''}
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
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
        <InlineError error={error} />
      </section>
      <section className="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Delivery funnel</h2>
        <FunnelChart total={data.total} counts={counts} />
      </section>
      <RecipientReport campaignId={id} version={reportVersion} />
    </div>
  );
}
