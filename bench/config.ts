/**
 * What a benchmark run measures and at what size: the full run (1 M contacts, 10 M messages) or
 * `--quick` (a tenth of it, for a loop under two minutes), read once from argv and the environment.
 */

export interface DatasetSize {
  readonly contacts: number;
  readonly messages: number;
  /** Agents the conversations are assigned to. */
  readonly agents: number;
}

export interface BenchConfig {
  readonly quick: boolean;
  /** The generated inbox data, reused across runs while its schema and sizes match. */
  readonly datasetUrl: string;
  /** Databases made fresh for the write workloads are named after this one. */
  readonly serverUrl: string;
  readonly dataset: DatasetSize;
  /** Rows of the CSV import and recipients of the campaign enqueue (the 100 k-scale workloads). */
  readonly bulkRows: number;
  /** Recipients enqueued one by one by the seed's approach (it is slow; the ratio is per message). */
  readonly seedRows: number;
  /** Timed calls per read query, after a warm-up of a quarter as many. */
  readonly queryRuns: number;
  /** Repetitions of each bulk workload; the median counts. */
  readonly bulkRounds: number;
  readonly webhookSeconds: number;
  readonly webhookConnections: number;
  readonly senderMessages: number;
  readonly senderRateLimit: number;
  /** Workloads to run (all when empty), by name: thread, conversations, search, message_search, import, enqueue, webhooks, sender, media. */
  readonly only: readonly string[];
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/flowchat_bench';

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** The database name of a postgres URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export function benchConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const quick = argv.includes('--quick');
  const only = argv.flatMap((arg) => (arg.startsWith('--only=') ? arg.slice('--only='.length).split(',') : []));
  const serverUrl = env['BENCH_DATABASE_URL'] || DEFAULT_URL;
  // The quick data set lives beside the full one, so switching between them regenerates neither.
  const datasetUrl = quick ? withDatabase(serverUrl, `${databaseName(serverUrl)}_quick`) : serverUrl;
  return Object.freeze({
    quick,
    datasetUrl,
    serverUrl,
    dataset: quick ? { contacts: 100_000, messages: 1_000_000, agents: 20 } : { contacts: 1_000_000, messages: 10_000_000, agents: 20 },
    bulkRows: quick ? 20_000 : 100_000,
    seedRows: quick ? 1_000 : 10_000,
    queryRuns: quick ? 80 : 300,
    bulkRounds: quick ? 1 : 3,
    webhookSeconds: quick ? 3 : 10,
    webhookConnections: 16,
    senderMessages: quick ? 2_000 : 10_000,
    senderRateLimit: 1000,
    only,
  });
}
