/**
 * Dashboard figures, each one aggregate query over an indexed range: messages per day, the median
 * time to a first reply, open conversations.
 */
import { sql } from 'kysely';
import type { Executor } from '../transaction.js';

export interface DailyCount {
  readonly day: string;
  readonly inbound: number;
  readonly outbound: number;
}

export class StatsRepository {
  constructor(private readonly db: Executor) {}

  /** One row per day of the last `days` days (UTC), oldest first, zeros included. */
  async messagesPerDay(days: number): Promise<DailyCount[]> {
    const result = await sql<DailyCount>`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
             coalesce(m.inbound, 0)::int AS inbound,
             coalesce(m.outbound, 0)::int AS outbound
      FROM generate_series(
        date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days - 1}),
        date_trunc('day', now() AT TIME ZONE 'UTC'),
        interval '1 day'
      ) AS d(day)
      LEFT JOIN (
        SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS day,
               count(*) FILTER (WHERE direction = 'inbound') AS inbound,
               count(*) FILTER (WHERE direction = 'outbound') AS outbound
        FROM messages
        WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => ${days - 1})
        GROUP BY 1
      ) m ON m.day = d.day
      ORDER BY d.day
    `.execute(this.db);
    return result.rows;
  }

  /**
   * The median seconds from a customer's first message after a business reply (or ever) to the
   * next reply from an agent, over the last `days` days; null when there is none.
   */
  async medianFirstResponseSeconds(days: number): Promise<number | null> {
    const result = await sql<{ median: number | null }>`
      WITH recent AS (
        SELECT contact_id, direction, created_at, campaign_id,
               lag(direction) OVER (PARTITION BY contact_id ORDER BY created_at, id) AS previous
        FROM messages
        WHERE created_at >= now() - make_interval(days => ${days})
      ),
      openers AS (
        SELECT contact_id, created_at FROM recent
        WHERE direction = 'inbound' AND (previous IS NULL OR previous = 'outbound')
      )
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reply.created_at - o.created_at))::float8 AS median
      FROM openers o
      CROSS JOIN LATERAL (
        SELECT created_at FROM messages r
        WHERE r.contact_id = o.contact_id AND r.direction = 'outbound' AND r.campaign_id IS NULL AND r.created_at >= o.created_at
        ORDER BY r.created_at LIMIT 1
      ) reply
    `.execute(this.db);
    const median = result.rows[0]?.median;
    return median === null || median === undefined ? null : Math.round(Number(median));
  }

  async openConversations(): Promise<number> {
    const row = await this.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('conversation_status', '=', 'open')
      .where('last_message_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
