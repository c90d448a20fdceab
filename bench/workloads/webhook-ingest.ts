/**
 * Webhook ingest over HTTP: signed Cloud API webhooks (inbound texts and statuses, each one new)
 * posted on 16 keep-alive connections to a real `flowchat serve` process on PostgreSQL, against a
 * bare `node:http` server that only checks the signature. FlowChat stores each one before its 200
 * and processes it in the background meanwhile, as in production. The server's resident memory
 * is sampled throughout, and the CPU it and its database sessions used is counted per webhook:
 * unlike the rates, that does not depend on what else the machine is running.
 *
 * Processing must keep up for the rate to count: the timed load starts once what the warm-up
 * stored is processed, the inbox is counted before and after it (how many were processed within
 * the window, how many were left), and the CPU is counted until the last one is processed, so
 * work deferred past the window is still charged to the webhooks that caused it.
 *
 * Then, on the same server, processing alone: a backlog of stored webhooks (as after an outage,
 * when Meta's retries arrive at once) is put in the inbox in one statement, and its processing is
 * timed and its CPU counted with no HTTP load beside it: the processor's own cost, which the rate
 * above mixes with the acknowledgements' and the client's. A second backlog holds webhooks that
 * come in a row for one message (its sent, delivered and read) or one customer (three texts), which
 * a batch applies to each message and contact in turn.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inboundTextWebhookBody, signedHeaders, statusWebhookBody, webhookBody } from '../../test/support/cloud-api-stand-in.js';
import { startServerProcess } from '../../test/support/processes.js';
import { withDatabase, databaseName, type BenchConfig } from '../config.js';
import { dropDatabase, freshServerDatabase, withClient } from '../bench-database.js';
import { ms, type Figure } from '../results.js';
import { summarize } from '../stats.js';
import { startAckOnlyServer, startBareWebhookServer, stopChild } from '../support/child-server.js';
import { postForDuration, type LoadResult, type Request } from '../support/http-load.js';
import { databaseSessions, measureCpu } from '../support/process-cpu.js';
import { sampleRss } from '../support/rss-sampler.js';

const WARMUP_SECONDS = 1;

/** Webhooks in the processing-alone backlog. */
function backlogSize(config: BenchConfig): number {
  return config.quick ? 5_000 : 20_000;
}

/** Messages (and customers) in the in-a-row backlog: six webhooks each, about as many as the backlog. */
function burstCount(config: BenchConfig): number {
  return Math.floor(backlogSize(config) / 6);
}

/** Contacts of the campaign whose aftermath is processed: 2.65 webhooks each, about as many as the backlog. */
function campaignSize(config: BenchConfig): number {
  return Math.floor(backlogSize(config) / 2.65);
}

/** Signed webhooks, half inbound texts from 2 500 customers, half statuses of unknown sends; numbered from `first`. */
function webhooks(appSecret: string, first = 0): () => Request {
  let count = first;
  return () => {
    count += 1;
    const body = count % 2 === 0
      ? inboundTextWebhookBody({ from: `55119${80_000_000 + (count % 5000)}`, text: `Order ${count}: is it on its way?`, name: 'Customer' })
      : statusWebhookBody({ wamid: `wamid.BENCH${count}`, status: 'delivered' });
    return { body, headers: signedHeaders(body, appSecret) };
  };
}

interface Measured extends LoadResult {
  /** CPU milliseconds per acknowledged webhook: the server's own, and its database sessions'. */
  readonly serverCpuMs: number;
  readonly databaseCpuMs: number;
  /** With processing: stored webhooks processed within the timed window, those left at its end, and how long they took after it. */
  readonly processed?: number;
  readonly backlog?: number;
  readonly drainSeconds?: number;
}

/** Longest the processing of what was stored may take after the load, before the run gives up. */
const DRAIN_TIMEOUT_MS = 300_000;

/** The webhook inbox of a database, read on a session of its own (left out of the CPU counted). */
async function openInbox(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
  const counts = async () => {
    const row = (await client.query<{ stored: string; unprocessed: string }>(
      'SELECT count(*) AS stored, count(*) FILTER (WHERE processed_at IS NULL) AS unprocessed FROM whatsapp_webhook_events',
    )).rows[0];
    return { stored: Number(row?.stored ?? 0), unprocessed: Number(row?.unprocessed ?? 0) };
  };
  return {
    pid,
    counts,
    /** Waits until every stored webhook is processed; returns the seconds it took. */
    async drained(): Promise<number> {
      const started = performance.now();
      const unprocessed = async () =>
        (await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM whatsapp_webhook_events WHERE processed_at IS NULL) AS any')).rows[0]?.any === true;
      while (await unprocessed()) {
        if (performance.now() - started > DRAIN_TIMEOUT_MS) throw new Error(`stored webhooks were still unprocessed ${DRAIN_TIMEOUT_MS / 1000} s after the load`);
        await sleep(20);
      }
      return (performance.now() - started) / 1000;
    },
    close: () => client.end(),
  };
}

interface BacklogRun {
  readonly perSecond: number;
  readonly serverCpuMs: number;
  readonly databaseCpuMs: number;
}

/**
 * Stores `bodies` at once, straight into the inbox of the server `pid` serves, and waits
 * until it has processed them. The rate runs from the first batch's start to the last one's
 * (`processed_at` is its transaction's start), so the poll that finds the backlog is not counted.
 */
async function processBacklog(databaseUrl: string, pid: number, bodies: readonly string[]): Promise<BacklogRun> {
  const inbox = await openInbox(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await inbox.drained();
    const own = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const sessions = (await databaseSessions(databaseUrl)).filter((session) => session !== inbox.pid && session !== own);
    const server = measureCpu([pid]);
    const databaseCpu = measureCpu(sessions);
    const stored = await client.query<{ first: string }>(
      'WITH stored AS (INSERT INTO whatsapp_webhook_events (body) SELECT unnest($1::text[]) RETURNING id) SELECT min(id) AS first FROM stored',
      [bodies],
    );
    const first = Number(stored.rows[0]?.first);
    await inbox.drained();
    const serverCpuMs = server.stop() / bodies.length;
    const databaseCpuMs = databaseCpu.stop() / bodies.length;
    const span = (await client.query<{ seconds: number; last_batch: string }>(
      `SELECT extract(epoch FROM max(processed_at) - min(processed_at))::float8 AS seconds,
              count(*) FILTER (WHERE processed_at = (SELECT max(processed_at) FROM whatsapp_webhook_events WHERE id >= $1)) AS last_batch
       FROM whatsapp_webhook_events WHERE id >= $1`,
      [first],
    )).rows[0];
    const seconds = span?.seconds ?? 0;
    return { perSecond: seconds > 0 ? (bodies.length - Number(span?.last_batch ?? 0)) / seconds : 0, serverCpuMs, databaseCpuMs };
  } finally {
    await client.end();
    await inbox.close();
  }
}

/**
 * Webhooks that come one after another for one message or one customer, as after an outage: the
 * sent, delivered and read of each of `count` outbound messages that Meta accepted (stored here,
 * to one customer), each followed by three texts from a customer, new or one the load created.
 */
async function bursts(databaseUrl: string, count: number): Promise<string[]> {
  await withClient(databaseUrl, (client) =>
    client.query(
      `WITH customer AS (INSERT INTO contacts (phone, name) VALUES ('+14155550100', 'Bursts') RETURNING id)
       INSERT INTO messages (contact_id, direction, status, type, content, external_id, sent_at)
       SELECT customer.id, 'outbound', 'sent', 'text', 'Your order has shipped', 'wamid.BURST' || n, now() FROM customer, generate_series(1, $1::int) AS n`,
      [count],
    ),
  );
  return Array.from({ length: count }, (_, index) => {
    // Every other one a customer the load created, the others new.
    const from = index % 2 === 0 ? `55119${80_000_000 + (index % 5000)}` : `55119${70_000_000 + index}`;
    return [
      ...(['sent', 'delivered', 'read'] as const).map((status) => statusWebhookBody({ wamid: `wamid.BURST${index + 1}`, status })),
      ...['Hello', 'About my order', 'Thanks!'].map((text, line) => inboundTextWebhookBody({ from, text, wamid: `wamid.BURSTIN${index}.${line}`, name: 'Customer' })),
    ];
  }).flat();
}

/**
 * What follows a campaign to `count` contacts (a phone, its wa_id learnt when WhatsApp accepted
 * the send, a name; no BSUID yet): each message's sent, then delivered or, one in five, failed
 * (131049, the marketing limit), then, of those delivered, a read from every other one, a 👍 from
 * one in 20, a STOP from one in 50, and a reply from every fourth, which brings the customer's BSUID
 * for the contact to take.
 */
async function campaignAftermath(databaseUrl: string, count: number): Promise<string[]> {
  const waId = (index: number) => `55119${60_000_001 + index}`;
  await withClient(databaseUrl, (client) =>
    client.query(
      `WITH recipients AS (
         INSERT INTO contacts (phone, wa_id, name) SELECT '+55119' || (60000000 + n), '55119' || (60000000 + n), 'Imported ' || n FROM generate_series(1, $1::int) AS n RETURNING id, wa_id
       )
       INSERT INTO messages (contact_id, direction, status, type, content, external_id, sent_at)
       SELECT id, 'outbound', 'sent', 'template', 'Our offer', 'wamid.OFFER' || wa_id, now() FROM recipients`,
      [count],
    ),
  );
  const indexes = Array.from({ length: count }, (_, index) => index);
  const delivered = indexes.filter((index) => index % 5 !== 0);
  return [
    ...indexes.map((index) => statusWebhookBody({ wamid: `wamid.OFFER${waId(index)}`, status: 'sent' })),
    ...indexes.map((index) =>
      index % 5 === 0
        ? statusWebhookBody({ wamid: `wamid.OFFER${waId(index)}`, status: 'failed', error: { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' } })
        : statusWebhookBody({ wamid: `wamid.OFFER${waId(index)}`, status: 'delivered' }),
    ),
    ...delivered.flatMap((index, position) => [
      ...(position % 2 === 0 ? [statusWebhookBody({ wamid: `wamid.OFFER${waId(index)}`, status: 'read' })] : []),
      ...(position % 20 === 1 ? [webhookBody({ contacts: [{ profile: { name: 'Customer' }, wa_id: waId(index) }], messages: [{ from: waId(index), id: `wamid.REACT${index}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'reaction', reaction: { message_id: `wamid.OFFER${waId(index)}`, emoji: '👍' } }] })] : []),
      ...(position % 50 === 3 ? [inboundTextWebhookBody({ from: waId(index), text: 'STOP', wamid: `wamid.STOP${index}` })] : []),
      ...(position % 4 === 0
        ? [webhookBody({
            contacts: [{ profile: { name: 'Customer' }, wa_id: waId(index), user_id: `BR.${waId(index)}` }],
            messages: [{ from: waId(index), from_user_id: `BR.${waId(index)}`, id: `wamid.REPLY${index}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Yes, I want it' } }],
          })]
        : []),
    ]),
  ];
}

/**
 * A warm-up, then the timed load, with the CPU the server (and `database`'s sessions) used meanwhile;
 * with `database.processing`, from a processed inbox and until all of it is processed again.
 */
async function load(url: string, config: BenchConfig, appSecret: string, pid: number, database?: { url: string; processing: boolean }): Promise<Measured> {
  const next = webhooks(appSecret);
  await postForDuration(url, WARMUP_SECONDS, config.webhookConnections, next);
  const inbox = database ? await openInbox(database.url) : undefined;
  try {
    if (database?.processing) await inbox?.drained();
    const server = measureCpu([pid]);
    const sessions = database ? (await databaseSessions(database.url)).filter((session) => session !== inbox?.pid) : [];
    const databaseCpu = measureCpu(sessions);
    const before = await inbox?.counts();
    const result = await postForDuration(url, config.webhookSeconds, config.webhookConnections, next);
    const after = await inbox?.counts();
    const drainSeconds = database?.processing ? await inbox?.drained() : undefined;
    const serverCpuMs = server.stop() / result.requests;
    const databaseCpuMs = databaseCpu.stop() / result.requests;
    if (result.errors > 0) throw new Error(`${result.errors} of ${result.requests} webhooks were not acknowledged with 200`);
    const processing = database?.processing && before && after
      ? { processed: after.stored - before.stored - (after.unprocessed - before.unprocessed), backlog: after.unprocessed, drainSeconds: drainSeconds ?? 0 }
      : {};
    return { ...result, serverCpuMs, databaseCpuMs, ...processing };
  } finally {
    await inbox?.close();
  }
}


export async function webhookFigures(config: BenchConfig, log: (line: string) => void): Promise<Figure[]> {
  const appSecret = randomBytes(16).toString('hex');
  const bare = await startBareWebhookServer(appSecret);
  const floor = await load(`${bare.url}/webhooks/whatsapp`, config, appSecret, bare.pid).finally(() => bare.stop());

  const url = withDatabase(config.serverUrl, `${databaseName(config.serverUrl)}_webhooks`);
  await (await freshServerDatabase(url)).close();
  const server = await startServerProcess({ DATABASE_URL: url, WHATSAPP_APP_SECRET: appSecret, WHATSAPP_VERIFY_TOKEN: 'bench', LOG_LEVEL: 'warn' });
  const pid = server.child.pid ?? 0;
  const rss = sampleRss(pid);
  let ours: Measured;
  let backlog: BacklogRun;
  let inRows: BacklogRun;
  let aftermath: BacklogRun;
  let rssPeak: number;
  try {
    ours = await load(`${server.url}/webhooks/whatsapp`, config, appSecret, pid, { url, processing: true });
    // Numbered past everything the load sent: new statuses, and texts from the customers it created.
    const more = webhooks(appSecret, 10_000_000);
    backlog = await processBacklog(url, pid, Array.from({ length: backlogSize(config) }, () => more().body));
    inRows = await processBacklog(url, pid, await bursts(url, burstCount(config)));
    aftermath = await processBacklog(url, pid, await campaignAftermath(url, campaignSize(config)));
  } finally {
    rssPeak = rss.stop();
    await stopChild(server.child);
    await dropDatabase(url);
  }
  // The acknowledgement path alone: the same routes with nothing processing what they store.
  await (await freshServerDatabase(url)).close();
  const ackOnlyServer = await startAckOnlyServer(url, appSecret);
  const ackOnly = await load(`${ackOnlyServer.url}/webhooks/whatsapp`, config, appSecret, ackOnlyServer.pid, { url, processing: false }).finally(async () => {
    await ackOnlyServer.stop();
    await dropDatabase(url);
  });
  const ackOnlyRate = ackOnly.requests / ackOnly.seconds;
  const oursRate = ours.requests / ours.seconds;
  const floorRate = floor.requests / floor.seconds;
  const latency = summarize(ours.latencies);
  const floorLatency = summarize(floor.latencies);
  const processedRate = (ours.processed ?? 0) / ours.seconds;
  const left = ours.backlog ?? 0;
  // Kept up: what was left unprocessed at the end of the window is less than a second's worth.
  const keptUp = left <= oursRate;
  log(
    `  webhooks: FlowChat ${oursRate.toFixed(0)}/s acknowledged, ${processedRate.toFixed(0)}/s processed within the window (${left} left, processed ${(ours.drainSeconds ?? 0).toFixed(1)} s later)` +
      ` (processing paused: ${ackOnlyRate.toFixed(0)}/s), bare ${floorRate.toFixed(0)}/s, p99 ${latency.p99.toFixed(1)} ms, RSS ${rssPeak.toFixed(0)} MB;` +
      ` CPU per webhook: server ${ours.serverCpuMs.toFixed(3)} + database ${ours.databaseCpuMs.toFixed(3)} ms (processing paused: ${ackOnly.serverCpuMs.toFixed(3)} + ${ackOnly.databaseCpuMs.toFixed(3)}), bare ${floor.serverCpuMs.toFixed(3)} ms;` +
      ` a backlog of ${backlogSize(config)} processed alone at ${backlog.perSecond.toFixed(0)}/s, CPU per webhook: server ${backlog.serverCpuMs.toFixed(3)} + database ${backlog.databaseCpuMs.toFixed(3)} ms;` +
      ` webhooks in a row by message and by customer at ${inRows.perSecond.toFixed(0)}/s, CPU per webhook: server ${inRows.serverCpuMs.toFixed(3)} + database ${inRows.databaseCpuMs.toFixed(3)} ms;` +
      ` a campaign's aftermath at ${aftermath.perSecond.toFixed(0)}/s, CPU per webhook: server ${aftermath.serverCpuMs.toFixed(3)} + database ${aftermath.databaseCpuMs.toFixed(3)} ms`,
  );
  return [
    {
      id: 'webhooks.rate',
      label: `Webhook ingest, ${config.webhookConnections} keep-alive connections, processing keeping up`,
      value: `${oursRate.toFixed(0)}/s (${processedRate.toFixed(0)}/s processed, ${left} left at the end)`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: oursRate / floorRate,
      goal: { text: '≥ 0.5× the floor, < 1 s of webhooks left unprocessed', met: oursRate / floorRate >= 0.5 && keptUp },
      data: {
        per_second: oursRate,
        floor_per_second: floorRate,
        requests: ours.requests,
        seconds: ours.seconds,
        processed_per_second: processedRate,
        backlog_at_end: left,
        drain_seconds: ours.drainSeconds ?? null,
      },
    },
    {
      id: 'webhooks.rate_ack_only',
      label: 'Webhook ingest with processing paused (store and acknowledge only)',
      value: `${ackOnlyRate.toFixed(0)}/s`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: ackOnlyRate / floorRate,
      goal: { text: '≥ 0.5× the floor', met: ackOnlyRate / floorRate >= 0.5 },
      data: { per_second: ackOnlyRate, server_cpu_ms: ackOnly.serverCpuMs, database_cpu_ms: ackOnly.databaseCpuMs },
    },
    {
      id: 'webhooks.cpu',
      label: 'CPU per acknowledged webhook (server and its database sessions, processing included until the last one is processed)',
      value: `${(ours.serverCpuMs + ours.databaseCpuMs).toFixed(3)} ms (server ${ours.serverCpuMs.toFixed(3)}, database ${ours.databaseCpuMs.toFixed(3)})`,
      floor: `${floor.serverCpuMs.toFixed(3)} ms (bare node:http)`,
      ratio: (ours.serverCpuMs + ours.databaseCpuMs) / floor.serverCpuMs,
      goal: null,
      data: { server_cpu_ms: ours.serverCpuMs, database_cpu_ms: ours.databaseCpuMs, floor_cpu_ms: floor.serverCpuMs },
    },
    {
      id: 'webhooks.backlog',
      label: `Processing alone: a backlog of ${backlogSize(config)} stored webhooks, no HTTP load`,
      value: `${backlog.perSecond.toFixed(0)}/s, CPU per webhook ${(backlog.serverCpuMs + backlog.databaseCpuMs).toFixed(3)} ms (server ${backlog.serverCpuMs.toFixed(3)}, database ${backlog.databaseCpuMs.toFixed(3)})`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: backlog.perSecond / floorRate,
      goal: null,
      data: { per_second: backlog.perSecond, webhooks: backlogSize(config), server_cpu_ms: backlog.serverCpuMs, database_cpu_ms: backlog.databaseCpuMs },
    },
    {
      id: 'webhooks.bursts',
      label: `Processing alone: ${6 * burstCount(config)} stored webhooks in a row by message and by customer (each message's sent, delivered and read; three texts from one customer, new or known)`,
      value: `${inRows.perSecond.toFixed(0)}/s, CPU per webhook ${(inRows.serverCpuMs + inRows.databaseCpuMs).toFixed(3)} ms (server ${inRows.serverCpuMs.toFixed(3)}, database ${inRows.databaseCpuMs.toFixed(3)})`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: inRows.perSecond / floorRate,
      goal: null,
      data: { per_second: inRows.perSecond, webhooks: 6 * burstCount(config), server_cpu_ms: inRows.serverCpuMs, database_cpu_ms: inRows.databaseCpuMs },
    },
    {
      id: 'webhooks.campaign',
      label: `Processing alone: the webhooks that follow a campaign to ${campaignSize(config)} contacts (sent; delivered, or failed for one in five; reads, reactions, STOPs, replies that bring a BSUID)`,
      value: `${aftermath.perSecond.toFixed(0)}/s, CPU per webhook ${(aftermath.serverCpuMs + aftermath.databaseCpuMs).toFixed(3)} ms (server ${aftermath.serverCpuMs.toFixed(3)}, database ${aftermath.databaseCpuMs.toFixed(3)})`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: aftermath.perSecond / floorRate,
      goal: null,
      data: { per_second: aftermath.perSecond, contacts: campaignSize(config), server_cpu_ms: aftermath.serverCpuMs, database_cpu_ms: aftermath.databaseCpuMs },
    },
    {
      id: 'webhooks.ack',
      label: 'Webhook acknowledgement latency under that load',
      value: `p50 ${ms(latency.p50)} · p99 ${ms(latency.p99)} ms`,
      floor: `p50 ${ms(floorLatency.p50)} · p99 ${ms(floorLatency.p99)} ms`,
      ratio: latency.p99 / floorLatency.p99,
      goal: { text: 'p99 < 50 ms', met: latency.p99 < 50 },
      data: { p50_ms: latency.p50, p99_ms: latency.p99, max_ms: latency.max, floor_p50_ms: floorLatency.p50, floor_p99_ms: floorLatency.p99 },
    },
    {
      id: 'webhooks.rss',
      label: 'Server resident memory under the webhook load',
      value: `${rssPeak.toFixed(0)} MB peak`,
      floor: '',
      ratio: null,
      goal: { text: '< 250 MB', met: rssPeak < 250 },
      data: { peak_mb: rssPeak },
    },
  ];
}
