/**
 * Measuring a read: FlowChat's call and its floor (the same rows fetched by primary key with bare
 * `pg`: one round trip, no search, no ordering) alternate over the same inputs, so both see the
 * same cache and the same load. A figure that misses its goal carries the plans of its slowest input.
 */
import type pg from 'pg';
import { ms, type Figure } from '../results.js';
import { median, summarize, timed } from '../stats.js';
import type { QueryCapture } from '../support/query-capture.js';

export interface ReadBench {
  readonly pool: pg.Pool;
  readonly capture: QueryCapture;
  readonly runs: number;
}

export interface ReadCase<T> {
  readonly id: string;
  readonly label: string;
  readonly goalMs: number;
  readonly inputs: readonly T[];
  /** FlowChat's code path; returns the ids of the rows it answered with. */
  run(input: T): Promise<FloorRows>;
}

/** The rows a floor fetches: ids per table. */
export interface FloorRows {
  readonly contacts?: readonly string[];
  readonly messages?: readonly (string | null)[];
}

async function fetchByIds(pool: pg.Pool, rows: FloorRows): Promise<void> {
  if (rows.contacts && rows.messages) {
    await pool.query(
      `SELECT c.*, m.* FROM unnest($1::uuid[], $2::uuid[]) AS p(contact_id, message_id)
       JOIN contacts c ON c.id = p.contact_id LEFT JOIN messages m ON m.id = p.message_id`,
      [rows.contacts, rows.messages],
    );
  } else if (rows.contacts) {
    await pool.query('SELECT * FROM contacts WHERE id = ANY($1::uuid[])', [rows.contacts]);
  } else if (rows.messages) {
    await pool.query('SELECT * FROM messages WHERE id = ANY($1::uuid[])', [rows.messages]);
  }
}

export async function measureRead<T>(bench: ReadBench, read: ReadCase<T>): Promise<Figure> {
  const { pool, capture, runs } = bench;
  const floors = new Map<T, FloorRows>();
  for (const input of read.inputs) floors.set(input, await read.run(input));
  const flowchat: Array<{ input: T; ms: number }> = [];
  const floor: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const input = read.inputs[index % read.inputs.length] as T;
    capture.reset();
    flowchat.push({ input, ms: await timed(() => read.run(input)) });
    floor.push(await timed(() => fetchByIds(pool, floors.get(input) ?? {})));
  }
  const ours = summarize(flowchat.map((sample) => sample.ms));
  const base = summarize(floor);
  const met = ours.p95 < read.goalMs;
  // The input slowest at its median: one slow sample is as likely the machine as the query.
  const byInput = new Map<T, number[]>();
  for (const sample of flowchat) byInput.set(sample.input, [...(byInput.get(sample.input) ?? []), sample.ms]);
  const slowest = [...byInput].sort((a, b) => median(b[1]) - median(a[1]))[0]?.[0];
  const plan = met || slowest === undefined ? undefined : await capture.plansOf(() => read.run(slowest));
  return {
    id: read.id,
    label: read.label,
    value: `p50 ${ms(ours.p50)} · p95 ${ms(ours.p95)} ms`,
    floor: `p50 ${ms(base.p50)} · p95 ${ms(base.p95)} ms`,
    ratio: ours.p95 / base.p95,
    goal: { text: `p95 < ${read.goalMs} ms`, met },
    data: { p50_ms: ours.p50, p95_ms: ours.p95, p99_ms: ours.p99, max_ms: ours.max, calls: ours.count, floor_p50_ms: base.p50, floor_p95_ms: base.p95 },
    ...(plan === undefined ? {} : { plan }),
  };
}
