/**
 * Outbound webhook metrics on prom-client's default registry (served by `/metrics`). Attempt
 * counters are this process's; the per-endpoint gauges are read from the database at scrape time,
 * so every process reports the same, shared standing of each endpoint, and an endpoint that keeps
 * failing shows up whichever process tried it.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { EndpointHealth } from './webhook.repository.js';

/** Consecutive failed attempts after which an endpoint counts as failing. */
export const FAILING_AFTER_FAILURES = 3;

type HealthSource = () => Promise<EndpointHealth[]>;
const sources = new Set<HealthSource>();

/** Makes a running dispatcher's database the source of the per-endpoint gauges; returns the undo. */
export function reportEndpointHealth(source: HealthSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

// One read per scrape serves all three gauges.
let snapshot: { at: number; rows: Promise<EndpointHealth[]> } | undefined;
function endpointHealth(): Promise<EndpointHealth[]> {
  if (!snapshot || Date.now() - snapshot.at > 1_000) {
    const reads = [...sources].map((source) => source().catch((): EndpointHealth[] => []));
    snapshot = { at: Date.now(), rows: Promise.all(reads).then((lists) => lists.flat()) };
  }
  return snapshot.rows;
}

export const webhookAttempts = new Counter({
  name: 'flowchat_webhook_attempts_total',
  help: 'Outbound webhook delivery attempts by endpoint and outcome (delivered or error)',
  labelNames: ['webhook_id', 'outcome'] as const,
});

export const webhookDeliveriesFailed = new Counter({
  name: 'flowchat_webhook_deliveries_failed_total',
  help: 'Outbound webhook deliveries given up after the retry window',
  labelNames: ['webhook_id'] as const,
});

export const webhookAttemptDuration = new Histogram({
  name: 'flowchat_webhook_attempt_duration_seconds',
  help: 'Time from sending an outbound webhook to its response or error',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

function perEndpointGauge(name: string, help: string, value: (row: EndpointHealth) => number): void {
  new Gauge({
    name,
    help,
    labelNames: ['webhook_id'] as const,
    async collect() {
      this.reset();
      for (const row of await endpointHealth()) this.set({ webhook_id: row.id }, value(row));
    },
  });
}

perEndpointGauge(
  'flowchat_webhook_endpoint_consecutive_failures',
  'Failed attempts in a row for each outbound webhook endpoint (0 once one succeeds)',
  (row) => row.consecutive_failures,
);
perEndpointGauge('flowchat_webhook_pending_deliveries', 'Outbound webhook deliveries waiting to be delivered, by endpoint', (row) => row.pending);

new Gauge({
  name: 'flowchat_webhook_failing_endpoints',
  help: `Outbound webhook endpoints whose last ${FAILING_AFTER_FAILURES} or more attempts failed, or with deliveries failed in the last day`,
  async collect() {
    const rows = await endpointHealth();
    this.set(new Set(rows.filter((row) => row.consecutive_failures >= FAILING_AFTER_FAILURES || row.failed > 0).map((row) => row.id)).size);
  },
});
