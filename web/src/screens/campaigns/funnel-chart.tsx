import type { CampaignCounts } from '../../api/types.js';
import { formatNumber } from '../../lib/format.js';

interface FunnelChartProps {
  readonly total: number;
  readonly counts: CampaignCounts;
}

interface Stage {
  readonly label: string;
  readonly value: number;
  readonly className: string;
}

/**
 * The delivery funnel as horizontal bars. Counts are by current status, so each stage adds the
 * ones past it: everything delivered or read was also sent.
 */
export function funnelStages(counts: CampaignCounts): readonly Stage[] {
  return [
    { label: 'Sent', value: counts.sent + counts.delivered + counts.read, className: 'bar-sent' },
    { label: 'Delivered', value: counts.delivered + counts.read, className: 'bar-delivered' },
    { label: 'Read', value: counts.read, className: 'bar-read' },
    { label: 'Failed', value: counts.failed, className: 'bar-failed' },
  ];
}

const WIDTH = 520;
const LABEL = 90;
const ROW = 34;

/** A small hand-drawn SVG chart; a table beside it gives the same numbers to screen readers. */
export function FunnelChart({ total, counts }: FunnelChartProps) {
  const stages = funnelStages(counts);
  const barSpace = WIDTH - LABEL - 80;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${stages.length * ROW}`} role="img" aria-label="Delivery funnel" className="chart-svg">
        {stages.map((stage, index) => {
          const width = total > 0 ? Math.max(2, (stage.value / total) * barSpace) : 2;
          const y = index * ROW;
          return (
            <g key={stage.label}>
              <text x={0} y={y + 21} className="chart-label">
                {stage.label}
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
          <caption>Delivery funnel of {formatNumber(total)} messages</caption>
          <tbody>
            {stages.map((stage) => (
              <tr key={stage.label}>
                <th scope="row">{stage.label}</th>
                <td>{formatNumber(stage.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
