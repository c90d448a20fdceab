/**
 * `npm run bench [-- --quick] [-- --only=thread,conversations,search,message_search,import,enqueue,webhooks,sender,media]`:
 * generates (or reuses) the inbox data set, runs every workload beside its floor, prints the
 * table with the plan of each query that misses its goal, and writes the figures as JSON
 * (bench/results/latest.json for a full run, bench/results/partial.json otherwise).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CursorCodec } from '../src/db/cursor.js';
import { dropDatabase, freshEmbeddedDatabase, freshServerDatabase } from './bench-database.js';
import { benchConfig, databaseName, withDatabase, type BenchConfig } from './config.js';
import { ensureDataset } from './generate.js';
import { table, writeReport, type Figure } from './results.js';
import { writeContactsFiles } from './support/contacts-csv.js';
import { startBenchApp } from './support/flowchat-app.js';
import { QueryCapture } from './support/query-capture.js';
import { bulkFigures } from './workloads/bulk-figures.js';
import { measureBulkWrites, type BulkTimings } from './workloads/bulk-writes.js';
import { searchFigures } from './workloads/contact-search.js';
import { messageSearchFigures } from './workloads/message-search.js';
import { conversationFigures } from './workloads/conversations.js';
import { senderFigures } from './workloads/sender.js';
import { tagsByPopularity } from './workloads/tags.js';
import { threadFigures } from './workloads/thread.js';
import { webhookFigures } from './workloads/webhook-ingest.js';
import { mediaFigures } from './workloads/media.js';
import type { DatabaseHandle } from '../src/db/connection.js';

const log = (line: string): void => console.log(line);
const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');

async function readFigures(config: BenchConfig, wants: (name: string) => boolean): Promise<{ figures: Figure[]; dataset: Record<string, number | boolean> }> {
  const dataset = await ensureDataset(config.datasetUrl, config.dataset, log);
  const { pool, db } = dataset.handle;
  try {
    const secret = await db.selectFrom('app_settings').select('value').where('key', '=', 'cursor_secret').executeTakeFirstOrThrow();
    const cursors = new CursorCodec(secret.value);
    const bench = { pool, capture: new QueryCapture(pool), runs: config.queryRuns };
    const tags = await tagsByPopularity(pool);
    const figures: Figure[] = [];
    if (wants('thread')) figures.push(...(await threadFigures(bench, cursors)));
    if (wants('conversations')) figures.push(...(await conversationFigures(bench, cursors, tags)));
    if (wants('search')) figures.push(...(await searchFigures(bench, cursors, tags)));
    if (wants('message_search')) figures.push(...(await messageSearchFigures(bench, cursors)));
    return { figures, dataset: { ...config.dataset, reused: !dataset.generated, generation_seconds: dataset.seconds } };
  } finally {
    await dataset.handle.close();
  }
}

async function onBothEngines(config: BenchConfig, dir: string): Promise<Figure[]> {
  const files = await writeContactsFiles(dir, config.bulkRows, 0);
  const run = async (handle: DatabaseHandle, env: Record<string, string>, floors: boolean): Promise<BulkTimings> => {
    const app = await startBenchApp(handle, env);
    try {
      return await measureBulkWrites(app, files, { rounds: config.bulkRounds, floors, seedRows: config.seedRows }, log);
    } finally {
      await app.close();
      await handle.close();
    }
  };
  const url = withDatabase(config.serverUrl, `${databaseName(config.serverUrl)}_writes`);
  const server = await run(await freshServerDatabase(url), { DATABASE_URL: url }, true);
  await dropDatabase(url);
  const embedded = await run(await freshEmbeddedDatabase(join(dir, 'embedded')), {}, false);
  return bulkFigures(config.bulkRows, server, embedded);
}

const config = benchConfig(process.argv.slice(2), process.env);
const wants = (name: string): boolean => config.only.length === 0 || config.only.includes(name);
const started = performance.now();
const loadBefore = loadavg();
log(`FlowChat benchmark (${config.quick ? 'quick' : 'full'}) on ${cpus().length} cores, load ${loadBefore.map((value) => value.toFixed(1)).join(' ')}`);
if (loadBefore[0] !== undefined && loadBefore[0] > cpus().length / 2) log('note: the machine is busy; timings will be noisy');

const dir = mkdtempSync(join(tmpdir(), 'flowchat-bench-'));
const figures: Figure[] = [];
let dataset: Record<string, number | boolean> = {};
try {
  if (wants('thread') || wants('conversations') || wants('search') || wants('message_search')) {
    const reads = await readFigures(config, wants);
    figures.push(...reads.figures);
    dataset = reads.dataset;
  }
  if (wants('import') || wants('enqueue')) figures.push(...(await onBothEngines(config, dir)));
  if (wants('webhooks')) figures.push(...(await webhookFigures(config, log)));
  if (wants('sender')) figures.push(...(await senderFigures(config, log)));
  if (wants('media')) figures.push(...(await mediaFigures(config, dir, log)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const seconds = Math.round((performance.now() - started) / 1000);
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
log(`\n${command}: ${seconds} s, load ${loadavg().map((value) => value.toFixed(1)).join(' ')}\n`);
log(table(figures));
for (const figure of figures.filter((each) => each.plan !== undefined)) log(`\nPlans of the slowest input of "${figure.label}" (goal ${figure.goal?.text}):\n${figure.plan}`);
const partial = config.quick || config.only.length > 0;
writeReport(join(resultsDir, partial ? 'partial.json' : 'latest.json'), {
  command,
  started_at: new Date(Date.now() - seconds * 1000).toISOString(),
  seconds,
  machine: { cpus: cpus().length, load_before: loadBefore, load_after: loadavg() },
  dataset: { ...dataset, size: config.quick ? 'quick' : 'full', bulk_rows: config.bulkRows },
  figures,
});
