import { useTranslation } from 'react-i18next';
import type { CampaignCounts } from '../../api/types.js';
import { formatNumber } from '../../lib/format.js';

interface FunnelChartProps {
  readonly total: number;
  readonly counts: CampaignCounts;
}

interface Stage {
  readonly key: 'sent' | 'delivered' | 'read' | 'failed';
  readonly value: number;
  readonly className: string;
}

/**
 * The delivery funnel as horizontal bars. Counts are by current status, so each stage adds the
 * ones past it: everything delivered or read was also sent.
 */
function funnelStages(counts: CampaignCounts): readonly Stage[] {
  return [
    { key: 'sent', value: counts.sent + counts.delivered + counts.read, className: 'bar-sent' },
    { key: 'delivered', value: counts.delivered + counts.read, className: 'bar-delivered' },
    { key: 'read', value: counts.read, className: 'bar-read' },
    { key: 'failed', value: counts.failed, className: 'bar-failed' },
  ];
}

const WIDTH = 520;
const LABEL = 90;
const ROW = 34;

/** A small hand-drawn SVG chart; a table beside it gives the same numbers to screen readers. */
export function FunnelChart({ total, counts }: FunnelChartProps) {
  const { t } = useTranslation();
  const stages = funnelStages(counts);
  const barSpace = WIDTH - LABEL - 80;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${stages.length * ROW}`} role="img" aria-label={t('campaigns.detail.funnel')} className="chart-svg">
        {stages.map((stage, index) => {
          const width = total > 0 ? Math.max(2, (stage.value / total) * barSpace) : 2;
          const y = index * ROW;
          return (
            <g key={stage.key}>
              <text x={0} y={y + 21} className="chart-label">
                {t(`campaigns.detail.stages.${stage.key}`)}
              </text>
              <rect x={LABEL} y={y + 6} width={width} height={22} rx={3} className={stage.className} />
              <text x={LABEL + width + 6} y={y + 21} className="chart-value">
                {formatNumber(stage.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">
        <table>
          <caption>{t('campaigns.detail.funnelOf', { total: formatNumber(total) })}</caption>
          <tbody>
            {stages.map((stage) => (
              <tr key={stage.key}>
                <th scope="row">{t(`campaigns.detail.stages.${stage.key}`)}</th>
                <td>{formatNumber(stage.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
