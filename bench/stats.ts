/** Latency summaries: percentiles over timed calls, and a median for repeated bulk runs. */
import { performance } from 'node:perf_hooks';

export interface Latency {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly count: number;
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The largest value (NaN for none); a loop, since spreading 100 k+ samples into Math.max overflows the stack. */
export function maxOf(values: readonly number[]): number {
  let max = Number.NaN;
  for (const value of values) if (!(value <= max)) max = value;
  return max;
}

export function summarize(values: readonly number[]): Latency {
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: maxOf(values),
    count: values.length,
  };
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Calls `fn` with each input in turn (cycling) `runs` times after `warmup` untimed calls; returns
 * each call's milliseconds, in input order, so the slowest input can be found again.
 */
export async function timeCalls<T>(inputs: readonly T[], runs: number, warmup: number, fn: (input: T) => Promise<unknown>): Promise<Array<{ input: T; ms: number }>> {
  if (inputs.length === 0) throw new Error('no inputs to time');
  for (let index = 0; index < warmup; index += 1) await fn(inputs[index % inputs.length] as T);
  const samples: Array<{ input: T; ms: number }> = [];
  for (let index = 0; index < runs; index += 1) {
    const input = inputs[index % inputs.length] as T;
    samples.push({ input, ms: await timed(() => fn(input)) });
  }
  return samples;
}
