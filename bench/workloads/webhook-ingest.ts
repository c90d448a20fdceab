/**
 * Webhook ingest over HTTP: signed Cloud API webhooks (inbound texts and statuses, each one new)
 * posted on 16 keep-alive connections to a real `flowchat serve` process on PostgreSQL, against a
 * bare `node:http` server that only checks the signature. FlowChat stores each one before its 200
 * and processes it in the background meanwhile, as in production. The server's resident memory
 * is sampled throughout, and the CPU it and its database sessions used is counted per webhook:
 * unlike the rates, that does not depend on what else the machine is running.
 */
import { randomBytes } from 'node:crypto';
import { inboundTextWebhookBody, signedHeaders, statusWebhookBody } from '../../test/support/cloud-api-stand-in.js';
import { startServerProcess } from '../../test/support/processes.js';
import { withDatabase, databaseName, type BenchConfig } from '../config.js';
import { dropDatabase, freshServerDatabase } from '../bench-database.js';
import { ms, type Figure } from '../results.js';
import { summarize } from '../stats.js';
import { startAckOnlyServer, startBareWebhookServer, stopChild } from '../support/child-server.js';
import { postForDuration, type LoadResult, type Request } from '../support/http-load.js';
import { databaseSessions, measureCpu } from '../support/process-cpu.js';
import { sampleRss } from '../support/rss-sampler.js';

const WARMUP_SECONDS = 1;

function webhooks(appSecret: string): () => Request {
  let count = 0;
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
}

/** A warm-up, then the timed load, with the CPU the server (and `databaseUrl`'s sessions) used meanwhile. */
async function load(url: string, config: BenchConfig, appSecret: string, pid: number, databaseUrl?: string): Promise<Measured> {
  const next = webhooks(appSecret);
  await postForDuration(url, WARMUP_SECONDS, config.webhookConnections, next);
  const server = measureCpu([pid]);
  const database = measureCpu(databaseUrl ? await databaseSessions(databaseUrl) : []);
  const result = await postForDuration(url, config.webhookSeconds, config.webhookConnections, next);
  const serverCpuMs = server.stop() / result.requests;
  const databaseCpuMs = database.stop() / result.requests;
  if (result.errors > 0) throw new Error(`${result.errors} of ${result.requests} webhooks were not acknowledged with 200`);
  return { ...result, serverCpuMs, databaseCpuMs };
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
  let rssPeak: number;
  try {
    ours = await load(`${server.url}/webhooks/whatsapp`, config, appSecret, pid, url);
  } finally {
    rssPeak = rss.stop();
    await stopChild(server.child);
    await dropDatabase(url);
  }
  // The acknowledgement path alone: the same routes with nothing processing what they store.
  await (await freshServerDatabase(url)).close();
  const ackOnlyServer = await startAckOnlyServer(url, appSecret);
  const ackOnly = await load(`${ackOnlyServer.url}/webhooks/whatsapp`, config, appSecret, ackOnlyServer.pid, url).finally(async () => {
    await ackOnlyServer.stop();
    await dropDatabase(url);
  });
  const ackOnlyRate = ackOnly.requests / ackOnly.seconds;
  const oursRate = ours.requests / ours.seconds;
  const floorRate = floor.requests / floor.seconds;
  const latency = summarize(ours.latencies);
  const floorLatency = summarize(floor.latencies);
  log(`  webhooks: FlowChat ${oursRate.toFixed(0)}/s (processing paused: ${ackOnlyRate.toFixed(0)}/s), bare ${floorRate.toFixed(0)}/s, p99 ${latency.p99.toFixed(1)} ms, RSS ${rssPeak.toFixed(0)} MB`);
  return [
    {
      id: 'webhooks.rate',
      label: `Webhook ingest, ${config.webhookConnections} keep-alive connections`,
      value: `${oursRate.toFixed(0)}/s`,
      floor: `${floorRate.toFixed(0)}/s (bare node:http, HMAC only)`,
      ratio: oursRate / floorRate,
      goal: { text: '≥ 0.5× the floor', met: oursRate / floorRate >= 0.5 },
      data: { per_second: oursRate, floor_per_second: floorRate, requests: ours.requests, seconds: ours.seconds },
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
      label: 'CPU per acknowledged webhook (server and its database sessions, processing included)',
      value: `${(ours.serverCpuMs + ours.databaseCpuMs).toFixed(3)} ms (server ${ours.serverCpuMs.toFixed(3)}, database ${ours.databaseCpuMs.toFixed(3)})`,
      floor: `${floor.serverCpuMs.toFixed(3)} ms (bare node:http)`,
      ratio: (ours.serverCpuMs + ours.databaseCpuMs) / floor.serverCpuMs,
      goal: null,
      data: { server_cpu_ms: ours.serverCpuMs, database_cpu_ms: ours.databaseCpuMs, floor_cpu_ms: floor.serverCpuMs },
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
