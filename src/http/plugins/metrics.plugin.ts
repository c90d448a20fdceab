/**
 * `GET /metrics` in Prometheus text: request durations by route and status, database pool usage
 * and the process's own metrics. Each app has its own registry, so test apps do not collide.
 */
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, register, Registry } from 'prom-client';
import type pg from 'pg';
import { Type } from 'typebox';
import { publicRoute } from './openapi.plugin.js';

export const metricsPlugin = fp<{ pool: pg.Pool }>(
  async (app, { pool }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request durations by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    new Gauge({
      name: 'flowchat_db_pool_connections',
      help: 'Database pool connections: total open, idle, and callers waiting for one',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });

    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL: ids would make every contact its own series.
      const route = request.routeOptions.url ?? 'unmatched';
      durations.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get(
      '/metrics',
      {
        schema: {
          summary: 'Prometheus metrics',
          tags: ['operations'],
          security: publicRoute,
          produces: ['text/plain'],
          response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
        },
      },
      async (_request, reply) => {
        reply.type(registry.contentType);
        // Background workers (webhook deliveries, …) register on prom-client's process-wide registry.
        return Registry.merge([registry, register]).metrics();
      },
    );
  },
  { name: 'flowchat-metrics' },
);
