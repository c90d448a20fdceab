/**
 * Committed events as they happen, for this process's live streams. On a PostgreSQL server they
 * come through LISTEN on a dedicated connection outside the pool (so events of every FlowChat
 * process arrive), which reconnects on its own and then catches up from the event log; on the
 * embedded engine, where only this process exists, straight from `localEvents`.
 */
import pg from 'pg';
import type { DatabaseHandle } from '../db/connection.js';
import type { JsonValue } from '../db/schema.js';
import type { Logger } from '../shared/logger.js';
import { announceEventsWithNotify, EVENTS_CHANNEL, type NotifiedEvent } from './pg-notify.js';
import { localEvents, type RecordedEvent } from './record-event.js';

export interface StreamEvent {
  readonly id: number;
  readonly type: string;
  readonly data: JsonValue;
}

export type StreamListener = (event: StreamEvent) => void;

const reconnectMaxMs = 10_000;
/** Unseen ids below the newest seen that are remembered (oldest dropped first). */
const maxGaps = 10_000;

export class EventHub {
  private readonly listeners = new Set<StreamListener>();
  /** The LISTEN connection, connecting or connected. */
  private active: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
  private lastSeenId = 0;
  /**
   * Ids below `lastSeenId` not seen yet. Ids are taken at insert but announced at commit, so a
   * transaction that took a lower id may still commit; a catch-up after the LISTEN connection was
   * lost asks for these too, or such an event would never reach this process's streams.
   */
  private readonly gaps = new Set<number>();
  /** Set once `lastSeenId` reflects the event log (gaps are counted from there on). */
  private baseline = false;
  private started = false;
  private closed = false;
  private readonly onLocal = (event: RecordedEvent): void => this.publish({ id: event.id, type: event.type, data: event.data });

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    if (database.engine === 'server') announceEventsWithNotify();
  }

  /** Calls `listener` with every committed event from now on; returns the unsubscribe function. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    this.startSource();
    return () => this.listeners.delete(listener);
  }

  /** Resolves once live events are flowing (the LISTEN is in place). */
  async ready(): Promise<void> {
    this.startSource();
    await this.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    localEvents.off('recorded', this.onLocal);
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.active;
    this.active = undefined;
    await client?.end().catch(() => undefined);
  }

  private startSource(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.database.engine === 'embedded' || !this.database.databaseUrl) localEvents.on('recorded', this.onLocal);
    else this.connecting = this.listen();
  }

  private publish(event: StreamEvent): void {
    if (event.id > this.lastSeenId) {
      if (this.baseline) for (let id = Math.max(this.lastSeenId + 1, event.id - maxGaps); id < event.id; id += 1) this.gaps.add(id);
      this.lastSeenId = event.id;
      for (const id of this.gaps) {
        if (this.gaps.size <= maxGaps) break;
        this.gaps.delete(id);
      }
    } else {
      this.gaps.delete(event.id);
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.database.databaseUrl });
    this.active = client;
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) void this.received(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      const resumed = this.reconnectAttempts > 0;
      this.reconnectAttempts = 0;
      if (resumed) await this.catchUp();
      else this.lastSeenId = Math.max(this.lastSeenId, await this.newestId());
      this.baseline = true;
    } catch (error) {
      this.dropped(client, error as Error);
    }
  }

  private async received(payload: string): Promise<void> {
    let notified: NotifiedEvent;
    try {
      notified = JSON.parse(payload) as NotifiedEvent;
    } catch {
      return;
    }
    if (typeof notified.type === 'string' && notified.data !== undefined) {
      this.publish({ id: notified.id, type: notified.type, data: notified.data as JsonValue });
      return;
    }
    const row = await this.database.db.selectFrom('events').select(['id', 'type', 'data']).where('id', '=', notified.id).executeTakeFirst().catch(() => undefined);
    if (row) this.publish(row);
  }

  private async newestId(): Promise<number> {
    const row = await this.database.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Events committed while the LISTEN connection was down. */
  private async catchUp(): Promise<void> {
    const gaps = [...this.gaps];
    const rows = await this.database.db
      .selectFrom('events')
      .select(['id', 'type', 'data'])
      .where((eb) => (gaps.length > 0 ? eb.or([eb('id', '>', this.lastSeenId), eb('id', 'in', gaps)]) : eb('id', '>', this.lastSeenId)))
      .orderBy('id')
      .limit(10_000)
      .execute();
    for (const row of rows) this.publish(row);
  }

  private dropped(client: pg.Client, error: Error): void {
    if (this.active !== client) return;
    this.active = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.reconnectAttempts += 1;
    const waitMs = Math.min(reconnectMaxMs, 250 * 2 ** this.reconnectAttempts);
    this.logger.warn({ err: { message: error.message }, retryInMs: waitMs }, 'event stream connection lost; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connecting = this.listen();
    }, waitMs);
    this.reconnectTimer.unref();
  }
}
