/**
 * A small closed-loop load generator: `connections` keep-alive connections, each posting one
 * request after another for a fixed time, recording every acknowledgement's latency.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  /** Milliseconds from sending each request to the end of its answer. */
  readonly latencies: number[];
}

export interface Request {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

function post(agent: http.Agent, url: URL, request: Request): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method: 'POST', agent, headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Posts requests made by `next` to `url` for `seconds`. */
export async function postForDuration(url: string, seconds: number, connections: number, next: () => Request): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const status = await post(agent, target, next()).catch(() => 0);
      latencies.push(performance.now() - sent);
      if (status !== 200) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: latencies.length, errors, seconds: elapsed, latencies };
}
