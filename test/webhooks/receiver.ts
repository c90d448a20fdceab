/**
 * A real HTTP endpoint on 127.0.0.1 for outbound webhook tests: it keeps every request's raw
 * bytes, headers and arrival time, and answers as the test says (a status, or never).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
}

/** A status to answer with, or `hang` to keep the request open until the receiver closes. */
export type Answer = number | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Decides the answer to the n-th request (0-based); defaults to 200. */
  answer: (request: ReceivedRequest, index: number) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { at: Date.now(), headers: req.headers, raw: Buffer.concat(chunks) };
      requests.push(received);
      const reply = receiver.answer(received, requests.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/flowchat`,
    requests,
    answer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
