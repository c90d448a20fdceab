/**
 * A channel's sender pause, shared by every process: one row per channel saying since when and why
 * its sending stopped (an expired token, a blocked account). The outbox claim reads it, so a pause set by one process
 * stops them all; `/healthz` and the settings route report it.
 */
import { sql } from 'kysely';
import type { Executor } from '../transaction.js';

export interface SenderPause {
  readonly pausedAt: Date;
  readonly code: string | null;
  readonly reason: string;
  /** Which access token was in use, as a short hash: a different token lifts the pause. */
  readonly tokenFingerprint: string | null;
}

export class SenderStateRepository {
  constructor(
    private readonly db: Executor,
    private readonly channelId: string,
  ) {}

  async current(): Promise<SenderPause | undefined> {
    const row = await this.db.selectFrom('whatsapp_sender_state').selectAll().where('channel_id', '=', this.channelId).executeTakeFirst();
    if (!row?.paused_at) return undefined;
    return { pausedAt: row.paused_at, code: row.pause_code, reason: row.pause_reason ?? 'paused', tokenFingerprint: row.token_fingerprint };
  }

  /** Pauses the sender unless it is paused already (the first reason is kept). */
  async pause(code: string | null, reason: string, tokenFingerprint: string | null): Promise<void> {
    await this.db
      .updateTable('whatsapp_sender_state')
      .set({ paused_at: sql`now()`, pause_code: code, pause_reason: reason.slice(0, 1000), token_fingerprint: tokenFingerprint })
      .where('channel_id', '=', this.channelId)
      .where('paused_at', 'is', null)
      .execute();
  }

  /** Lifts the pause; with `unlessToken`, only when it was set under another token. Returns whether it was lifted. */
  async resume(unlessToken?: string): Promise<boolean> {
    let query = this.db
      .updateTable('whatsapp_sender_state')
      .set({ paused_at: null, pause_code: null, pause_reason: null, token_fingerprint: null })
      .where('channel_id', '=', this.channelId)
      .where('paused_at', 'is not', null);
    if (unlessToken !== undefined) query = query.where(sql<boolean>`token_fingerprint IS DISTINCT FROM ${unlessToken}`);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
