/**
 * FlowChat's repositories and services run on a Kysely built here over the handle's own pool and
 * dialect, which remembers the SQL of the current call. When a figure misses its goal, the
 * statements of its slowest call are run again under EXPLAIN (ANALYZE, BUFFERS) and their plans printed.
 */
import { Kysely, type CompiledQuery } from 'kysely';
import type pg from 'pg';
import { MappedPostgresDialect } from '../../src/db/mapped-dialect.js';
import type { Database } from '../../src/db/schema.js';

interface Captured {
  readonly query: CompiledQuery;
  readonly ms: number;
}

export class QueryCapture {
  readonly db: Kysely<Database>;
  private captured: Captured[] = [];

  constructor(private readonly pool: pg.Pool) {
    this.db = new Kysely<Database>({
      dialect: new MappedPostgresDialect({ pool }),
      log: (event) => {
        if (event.level === 'query') this.captured.push({ query: event.query, ms: event.queryDurationMillis });
      },
    });
  }

  /** Forgets what earlier calls ran; call before each timed call. */
  reset(): void {
    this.captured = [];
  }

  /** Runs `call` once more and returns the plan of each statement it ran, slowest first. */
  async plansOf(call: () => Promise<unknown>): Promise<string> {
    this.reset();
    await call();
    // Transaction control and settings have no plan.
    const statements = this.captured.filter(({ query }) => /^\s*(select|with|insert|update|delete)\b/i.test(query.sql)).sort((a, b) => b.ms - a.ms);
    const plans: string[] = [];
    for (const { query } of statements) {
      const result = await this.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, [...query.parameters]);
      plans.push(result.rows.map((row) => row['QUERY PLAN']).join('\n'));
    }
    return plans.join('\n\n');
  }
}
