/**
 * The shared send pacer: one row per channel holding its next free send slot (microseconds since
 * the epoch), moved forward atomically by every process. Reserving n slots takes
 * `greatest(now, next_slot)` as the first and pushes `next_slot` n intervals on, so sends from all
 * processes on one database line up one interval apart, measured by the database's clock.
 */
import { sql } from 'kysely';
import type { Executor } from '../transaction.js';

export class PacerRepository {
  constructor(
    private readonly db: Executor,
    private readonly channelId: string,
  ) {}

  /**
   * Reserves `count` slots `intervalUs` apart. Returns the first slot and the database's clock at
   * the reservation, both in microseconds since the epoch on the database's clock.
   */
  async reserve(count: number, intervalUs: number): Promise<{ firstUs: number; nowUs: number }> {
    const span = Math.max(1, Math.round(count)) * Math.max(1, Math.ceil(intervalUs));
    const result = await sql<{ first_us: number; now_us: number }>`
      WITH clock AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us)
      UPDATE whatsapp_pacer p SET next_slot_us = greatest(p.next_slot_us, clock.now_us) + ${span}::bigint
      FROM clock WHERE p.channel_id = ${this.channelId}
      RETURNING p.next_slot_us - ${span}::bigint AS first_us, clock.now_us
    `.execute(this.db);
    const row = result.rows[0];
    if (!row) throw new Error(`The pacer row of channel ${this.channelId} is missing`);
    return { firstUs: Number(row.first_us), nowUs: Number(row.now_us) };
  }

  /** The database's clock, in microseconds since the epoch. */
  async clock(): Promise<number> {
    const result = await sql<{ now_us: number }>`SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now_us`.execute(this.db);
    return Number(result.rows[0]?.now_us ?? 0);
  }

  /** Lets nothing be sent for `delayUs` from now, by any process (a throughput error slows everyone). */
  async holdOff(delayUs: number): Promise<void> {
    await sql`
      UPDATE whatsapp_pacer SET next_slot_us = greatest(next_slot_us, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint + ${Math.round(delayUs)}::bigint)
      WHERE channel_id = ${this.channelId}
    `.execute(this.db);
  }
}
