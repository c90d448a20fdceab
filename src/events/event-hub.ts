/**
 * Committed events as they happen, for this process's live streams. On a PostgreSQL server they
 * come through LISTEN on a dedicated connection outside the pool (so events of every FlowChat
 * process arrive), which reconnects on its own and then catches up from the event log; on the
 * embedded engine, where only this process exists, straight from the database's `EventRecording`.
 *
 * Event ids follow commit order (see record-event.ts) and notifications arrive in commit order, so
 * the LISTEN side handles them one at a time and remembers only the newest id published: every
 * event up to it has been published, and a catch-up of the ids above it is complete. A
 * notification names the newest event of a transaction and is answered by such a catch-up (one
 * query for however many transactions committed meanwhile; those already read are skipped), and
 * so is every (re)connection, for what committed while none was listening.
 */
import pg from 'pg';
import type { DatabaseHandle } from '../db/connection.js';
import type { JsonValue } from '../db/schema.js';
import type { Logger } from '../shared/logger.js';
import { announceEventsWithNotify, EVENTS_CHANNEL, type EventsNotification } from './pg-notify.js';
import { eventRecording, type RecordedEvent } from './record-event.js';

export interface StreamEvent {
  readonly id: number;
  readonly type: string;
  readonly data: JsonValue;
}

export type StreamListener = (event: StreamEvent) => void;

const reconnectMaxMs = 10_000;
const catchUpPage = 1_000;

export class EventHub {
  private readonly listeners = new Set<StreamListener>();
  /** The LISTEN connection, connecting or connected. */
  private active: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
  /** The newest event published from the LISTEN side; unset until the first connection read the log's end. */
  private lastSeenId: number | undefined;
  /** Notifications and catch-ups, one after another, so events are published in id order. */
  private inOrder: Promise<void> = Promise.resolve();
  private started = false;
  private closed = false;
  private readonly onLocal = (event: RecordedEvent): void => this.publish({ id: event.id, type: event.type, data: event.data });

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    if (database.engine === 'server') announceEventsWithNotify(database.db);
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
    eventRecording(this.database.db).committed.off('recorded', this.onLocal);
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.active;
    this.active = undefined;
    await client?.end().catch(() => undefined);
  }

  private startSource(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.database.engine === 'embedded' || !this.database.databaseUrl) eventRecording(this.database.db).committed.on('recorded', this.onLocal);
    else this.connecting = this.listen();
  }

  private publish(event: StreamEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Publishes the next event from the LISTEN side, unless an earlier catch-up already did. */
  private publishNext(event: StreamEvent): void {
    if (this.lastSeenId !== undefined && event.id <= this.lastSeenId) return;
    this.lastSeenId = event.id;
    this.publish(event);
  }

  /** Runs `task` once every earlier one has finished. */
  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.inOrder.then(task);
    this.inOrder = run.catch(() => undefined);
    return run;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.database.databaseUrl });
    this.active = client;
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('connection ended')));
    // Every notification is answered by a catch-up, one at a time, so whenever one arrives (even
    // before the first catch-up below) the events come out complete and in id order. Once this
    // connection is dropped, what it still delivers is skipped: the next connection catches up.
    client.on('notification', (message) => {
      const payload = message.payload;
      if (message.channel !== EVENTS_CHANNEL || !payload) return;
      this.serially(async () => {
        if (this.active === client) await this.received(payload);
      }).catch((error: unknown) => this.dropped(client, error as Error));
    });
    try {
      await client.connect();
      // Read before LISTEN: what commits in between is caught up below.
      this.lastSeenId ??= await this.newestId();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      await this.serially(() => this.catchUp());
      this.reconnectAttempts = 0;
    } catch (error) {
      this.dropped(client, error as Error);
    }
  }

  /** A transaction committed events up to the notified id: reads them, unless a catch-up already did. */
  private async received(payload: string): Promise<void> {
    let notified: EventsNotification;
    try {
      notified = JSON.parse(payload) as EventsNotification;
    } catch {
      return;
    }
    if (typeof notified.id === 'number') {
      if (this.lastSeenId !== undefined && notified.id <= this.lastSeenId) return;
      // Nobody to publish to (the streams have closed): nothing to read either.
      if (this.listeners.size === 0) {
        this.lastSeenId = notified.id;
        return;
      }
    }
    await this.catchUp();
  }

  private async newestId(): Promise<number> {
    const row = await this.database.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Every event committed after the last one published (all of them: ids follow commit order). */
  /** Up to `limit` committed events with ids above `id`, oldest first, from the event log. */
  logAfter(id: number, limit: number): Promise<StreamEvent[]> {
    return this.database.db.selectFrom('events').select(['id', 'type', 'data']).where('id', '>', id).orderBy('id').limit(limit).execute();
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const rows = await this.logAfter(this.lastSeenId ?? 0, catchUpPage);
      for (const row of rows) this.publishNext(row);
      if (rows.length < catchUpPage) return;
    }
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
