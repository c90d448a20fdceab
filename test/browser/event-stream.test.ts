/**
 * The web app's event stream client, run in Node against a small SSE server: it must resume
 * with Last-Event-ID after the connection drops, so no event is lost across a reconnect.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { SseParser } from '../../web/src/events/sse-parser.js';

test('the SSE parser handles ids, named events, multi-line data, comments and split chunks', () => {
  const parser = new SseParser();
  const events = [
    ...parser.push(': heartbeat\n\nid: 7\nevent: message.created\ndata: {"a":'),
    ...parser.push('1}\n\nid: 8\r\nevent: contact.updated\r\ndata: line one\r\ndata: line two\r\n\r\n'),
  ];
  assert.deepEqual(events, [
    { id: '7', type: 'message.created', data: '{"a":1}' },
    { id: '8', type: 'contact.updated', data: 'line one\nline two' },
  ]);
});

let server: ReturnType<typeof createServer>;
let base = '';
const lastEventIds: (string | undefined)[] = [];
let live: ServerResponse | null = null;

before(async () => {
  server = createServer((req, res) => {
    lastEventIds.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const resumeFrom = Number(req.headers['last-event-id'] ?? 0);
    if (resumeFrom === 0) {
      res.write('id: 1\nevent: campaign.updated\ndata: {"id":"c1","n":1}\n\n');
      // The connection drops right after the first event, as a proxy or restart would drop it.
      setTimeout(() => res.destroy(), 50);
    } else {
      res.write(`id: ${resumeFrom + 1}\nevent: campaign.updated\ndata: {"id":"c1","n":${resumeFrom + 1}}\n\n`);
      live = res;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  live?.end();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('the event stream reconnects after a drop and resumes from the last event id', async () => {
  // The client builds same-origin URLs; in Node, give fetch the test server's origin.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => realFetch(new URL(String(input), base), init);
  try {
    const { EventStream } = await import('../../web/src/events/event-stream.js');
    const stream = new EventStream();
    const seen: number[] = [];
    const resumed: boolean[] = [];
    stream.onState((state, wasResumed) => {
      if (state === 'live') resumed.push(wasResumed);
    });
    const done = new Promise<void>((resolve) => {
      stream.on('campaign.updated', (campaign) => {
        seen.push((campaign as unknown as { n: number }).n);
        if (seen.length === 2) resolve();
      });
    });
    stream.start();
    await done;
    stream.stop();
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(lastEventIds, [undefined, '1']);
    assert.deepEqual(resumed, [false, true]);
  } finally {
    globalThis.fetch = realFetch;
  }
});
