import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DashboardStats } from '../../api/types.js';
import { formatNumber } from '../../lib/format.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';

type Day = DashboardStats['messages_per_day'][number];

const WIDTH = 720;
const HEIGHT = 240;
const PAD_LEFT = 44;
const PAD_BOTTOM = 28;
const PAD_TOP = 12;

function columns(t: TFunction): readonly Column<Day>[] {
  return [
    { header: t('dashboard.day'), rowHeader: true, cell: (day) => day.day },
    { header: t('dashboard.inbound'), cell: (day) => day.inbound },
    { header: t('dashboard.outbound'), cell: (day) => day.outbound },
  ];
}

function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= value / 4) ?? 10;
  return Math.ceil(value / (step * magnitude)) * step * magnitude;
}

function shortDay(day: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00`);
  return Number.isNaN(date.getTime()) ? day : `${date.getDate()}/${date.getMonth() + 1}`;
}

/** Inbound and outbound messages per day as paired bars, drawn by hand to keep the bundle small. */
export function MessagesChart({ days }: { readonly days: readonly Day[] }) {
  const { t } = useTranslation();
  const max = niceMax(Math.max(1, ...days.map((day) => Math.max(day.inbound, day.outbound))));
  const plotWidth = WIDTH - PAD_LEFT;
  const plotHeight = HEIGHT - PAD_BOTTOM - PAD_TOP;
  const slot = plotWidth / Math.max(days.length, 1);
  const bar = Math.max(2, Math.min(18, slot / 2 - 3));
  const y = (value: number) => PAD_TOP + plotHeight - (value / max) * plotHeight;
  // Counts are whole numbers, so the middle gridline is rounded to one.
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const labelEvery = Math.ceil(days.length / 10);

  return (
    <figure className="chart">
      <div className="legend" aria-hidden="true">
        <span className="legend-item">
          <span className="swatch bar-inbound" /> {t('dashboard.inbound')}
        </span>
        <span className="legend-item">
          <span className="swatch bar-outbound" /> {t('dashboard.outbound')}
        </span>
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('dashboard.chartLabel')}
        className="chart-svg"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD_LEFT} x2={WIDTH} y1={y(tick)} y2={y(tick)} className="chart-grid" />
            <text x={PAD_LEFT - 6} y={y(tick) + 4} textAnchor="end" className="chart-value">
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x = PAD_LEFT + index * slot + slot / 2;
          return (
            <g key={day.day}>
              <rect x={x - bar - 1} y={y(day.inbound)} width={bar} height={y(0) - y(day.inbound)} className="bar-inbound">
                <title>{t('dashboard.dayInbound', { day: day.day, number: day.inbound })}</title>
              </rect>
              <rect x={x + 1} y={y(day.outbound)} width={bar} height={y(0) - y(day.outbound)} className="bar-outbound">
                <title>{t('dashboard.dayOutbound', { day: day.day, number: day.outbound })}</title>
              </rect>
              {(days.length - 1 - index) % labelEvery === 0 ? (
                <text x={x} y={HEIGHT - 8} textAnchor="middle" className="chart-label">
                  {shortDay(day.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">
        <DataTable caption={t('dashboard.messagesPerDay')} showCaption columns={columns(t)} rows={days} rowKey={(day) => day.day} />
      </figcaption>
    </figure>
  );
}
