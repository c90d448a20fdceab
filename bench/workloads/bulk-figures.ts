/** Figures of the 100 k-scale write workloads: import vs COPY, enqueue vs raw and vs the seed, embedded vs server. */
import type { Figure } from '../results.js';
import { median } from '../stats.js';
import type { BulkTimings } from './bulk-writes.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rounds = (values: readonly number[]): string => values.map((value) => (value / 1000).toFixed(2)).join(', ');

function slowdown(id: string, label: string, ours: readonly number[], floor: readonly number[], floorName: string, limit: number): Figure {
  const value = median(ours);
  const base = median(floor);
  return {
    id,
    label,
    value: seconds(value),
    floor: `${seconds(base)} (${floorName})`,
    ratio: value / base,
    goal: { text: `≤ ${limit}× the floor`, met: value / base <= limit },
    data: { median_ms: value, floor_median_ms: base, rounds_s: rounds(ours), floor_rounds_s: rounds(floor) },
  };
}

export function bulkFigures(rows: number, server: BulkTimings, embedded: BulkTimings | undefined): Figure[] {
  const count = rows.toLocaleString('en');
  const figures = [
    slowdown('import.csv', `CSV import of ${count} rows (route, streamed)`, server.importMs, server.copyMs, 'COPY of the same rows', 2),
    slowdown('enqueue.campaign', `Campaign enqueue to ${count} contacts (CampaignService)`, server.enqueueMs, server.rawMs, 'one raw INSERT … SELECT', 2),
  ];
  if (server.seed) {
    const enqueue = median(server.enqueueMs);
    // Two round trips per recipient: the seed's time grows linearly with the audience.
    const seedMs = (server.seed.ms * rows) / server.seed.rows;
    figures.push({
      id: 'enqueue.seed',
      label: `Campaign enqueue vs the seed's findById + insert per message`,
      value: seconds(enqueue),
      floor: `${seconds(seedMs)} (seed, ${server.seed.rows.toLocaleString('en')} measured, scaled)`,
      ratio: enqueue / seedMs,
      goal: { text: `reported: the seed is ${(seedMs / enqueue).toFixed(0)}× slower`, met: true },
      data: { median_ms: enqueue, seed_ms_scaled: seedMs, seed_ms_measured: server.seed.ms, seed_rows_measured: server.seed.rows, seed_over_flowchat: seedMs / enqueue },
    });
  }
  if (embedded) {
    figures.push(
      slowdown('embedded.import', `Embedded engine: CSV import of ${count} rows`, embedded.importMs, server.importMs, 'the same on the server', 2),
      slowdown('embedded.enqueue', `Embedded engine: campaign enqueue to ${count} contacts`, embedded.enqueueMs, server.enqueueMs, 'the same on the server', 2),
    );
  }
  return figures;
}
