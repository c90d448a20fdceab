/**
 * One Server-Sent Events connection: `id`, `event` and `data` lines per event, a comment line as
 * heartbeat so proxies keep the stream open, and a cut-off for a client too slow to read (it
 * reconnects with `Last-Event-ID` and replays what it missed).
 */
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from './event-hub.js';

const maxBufferedBytes = 4 * 1024 * 1024;

export class SseStream {
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly raw: ServerResponse,
    heartbeatMs: number,
  ) {
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.flushHeaders();
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), heartbeatMs);
    this.heartbeat.unref();
    raw.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Tells the client how long to wait before reconnecting, and that events now flow. */
  ready(retryMs: number): void {
    this.write(`retry: ${retryMs}\n: connected\n\n`);
  }

  send(event: StreamEvent): void {
    this.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.raw.writableEnded) this.raw.end();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (this.raw.writableLength > maxBufferedBytes) {
      this.raw.destroy();
      this.close();
      return;
    }
    this.raw.write(chunk);
  }
}
