/**
 * Figures: each measurement beside its floor and its goal, printed as a table (the README's
 * Performance section shows the same one) and written as JSON to bench/results/latest.json.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Goal {
  readonly text: string;
  readonly met: boolean;
}

export interface Figure {
  /** Stable key, e.g. `thread.newest`. */
  readonly id: string;
  readonly label: string;
  /** FlowChat's measurement, as printed. */
  readonly value: string;
  /** The floor measured in the same run, as printed. */
  readonly floor: string;
  /** FlowChat against its floor, as the goal reads it (a slowdown, or a share of the floor's rate). */
  readonly ratio: number | null;
  readonly goal: Goal | null;
  /** The measured numbers, for the JSON. */
  readonly data: Readonly<Record<string, number | string | null>>;
  /** EXPLAIN (ANALYZE, BUFFERS) of the slowest statement, when the goal is missed. */
  readonly plan?: string;
}

export interface RunReport {
  readonly command: string;
  readonly started_at: string;
  readonly seconds: number;
  readonly machine: { readonly cpus: number; readonly load_before: readonly number[]; readonly load_after: readonly number[] };
  readonly dataset: Readonly<Record<string, number | string | boolean>>;
  readonly figures: readonly Figure[];
}

export const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));

/** The figures as a Markdown table. */
export function table(figures: readonly Figure[]): string {
  const rows = [
    '| Figure | FlowChat | Floor | Ratio | Goal | Met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...figures.map((figure) =>
      `| ${figure.label} | ${figure.value} | ${figure.floor} | ${figure.ratio === null ? '' : `${figure.ratio.toFixed(2)}×`} | ${figure.goal?.text ?? ''} | ${figure.goal === null ? '' : figure.goal.met ? 'yes' : '**no**'} |`,
    ),
  ];
  return rows.join('\n');
}

export function writeReport(path: string, report: RunReport): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.tmp`;
  writeFileSync(partial, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(partial, path);
}
