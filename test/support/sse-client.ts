/**
 * A minimal Server-Sent Events client for tests: opens `GET /api/v1/events` on a listening
 * FlowChat, records every event and comment as it arrives, and waits for the ones a test expects.
 */
import http from 'node:http';

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly events: SseEvent[];
  readonly comments: string[];
  /** When the response headers arrived, relative to the request (ms). */
  readonly headersAfterMs: number;
  /** Resolves with the first event matching `predicate` (already received or still to come). */
  waitFor(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once a comment matching `pattern` arrived. */
  waitForComment(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function openEventStream(baseUrl: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const request = http.get(`${baseUrl}/api/v1/events`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const listeners = new Set<() => void>();
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ id, event, data: data.join('\n') });
        }
        for (const listener of [...listeners]) listener();
      });
      const until = <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
        new Promise((done, fail) => {
          const check = (): void => {
            const found = find();
            if (found === undefined) return;
            clearTimeout(timer);
            listeners.delete(check);
            done(found);
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            fail(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(events.map((item) => [item.id, item.event]))}`));
          }, timeoutMs);
          listeners.add(check);
          check();
        });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        headersAfterMs: Date.now() - started,
        waitFor: (predicate, timeoutMs = 10_000) => until(() => events.find(predicate), timeoutMs, 'matching event'),
        waitForComment: (pattern, timeoutMs = 10_000) => until(() => comments.find((comment) => pattern.test(comment)), timeoutMs, `comment ${pattern}`),
        close: () => request.destroy(),
      });
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}
