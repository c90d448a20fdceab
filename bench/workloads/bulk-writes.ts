/**
 * The 100 k-scale write workloads on one engine: the CSV import (rounds alternate with the COPY
 * floor on the server), then the campaign enqueue (alternating with the raw INSERT … SELECT), and
 * once the seed's per-message approach. Each round starts from the same state.
 */
import type pg from 'pg';
import type { Engine } from '../../src/db/connection.js';
import { enqueueLikeTheSeed } from '../baseline/seed-approach.js';
import type { BenchApp } from '../support/flowchat-app.js';
import type { ContactsFiles } from '../support/contacts-csv.js';
import { campaignTemplate, clearCampaigns, enqueueRaw, enqueueThroughService } from './campaign-enqueue.js';
import { copyIntoContacts, importThroughRoute } from './csv-import.js';

export interface BulkTimings {
  readonly engine: Engine;
  readonly importMs: number[];
  readonly copyMs: number[];
  readonly enqueueMs: number[];
  readonly rawMs: number[];
  /** The seed's approach over `seedRows` recipients. */
  readonly seed?: { readonly ms: number; readonly rows: number };
}

export interface BulkOptions {
  readonly rounds: number;
  /** Measure the floors (COPY, raw INSERT … SELECT) and the seed's approach too. */
  readonly floors: boolean;
  readonly seedRows: number;
}

async function emptyContacts(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE contacts, campaigns CASCADE');
  await pool.query('CHECKPOINT');
}

export async function measureBulkWrites(app: BenchApp, files: ContactsFiles, options: BulkOptions, log: (line: string) => void): Promise<BulkTimings> {
  const { pool, engine } = app.ctx.database;
  const timings: BulkTimings = { engine, importMs: [], copyMs: [], enqueueMs: [], rawMs: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    if (options.floors) {
      await emptyContacts(pool);
      timings.copyMs.push(await copyIntoContacts(pool, files.copy));
    }
    // The import goes last, so the campaigns below reach contacts that FlowChat itself created.
    await emptyContacts(pool);
    timings.importMs.push(await importThroughRoute(app.url, app.token, files.csv, files.rows));
    log(`  ${engine}: import round ${round + 1}: ${(timings.importMs.at(-1) ?? 0).toFixed(0)} ms${options.floors ? `, COPY ${(timings.copyMs.at(-1) ?? 0).toFixed(0)} ms` : ''}`);
  }
  await pool.query('VACUUM ANALYZE contacts');
  for (let round = 0; round < options.rounds; round += 1) {
    if (options.floors) {
      await clearCampaigns(pool);
      timings.rawMs.push(await enqueueRaw(pool, 'spring'));
    }
    await clearCampaigns(pool);
    timings.enqueueMs.push(await enqueueThroughService(app.ctx, app.principal, 'spring', files.rows));
    log(`  ${engine}: enqueue round ${round + 1}: ${(timings.enqueueMs.at(-1) ?? 0).toFixed(0)} ms${options.floors ? `, raw ${(timings.rawMs.at(-1) ?? 0).toFixed(0)} ms` : ''}`);
  }
  if (!options.floors) return timings;
  await clearCampaigns(pool);
  const seedMs = await enqueueLikeTheSeed(pool, 'spring', campaignTemplate, options.seedRows);
  log(`  ${engine}: the seed's approach, ${options.seedRows} recipients: ${seedMs.toFixed(0)} ms`);
  return { ...timings, seed: { ms: seedMs, rows: options.seedRows } };
}
