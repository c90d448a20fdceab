/**
 * A Server-Sent Events client for `GET /api/v1/events`, as an integrator would write one: a
 * bearer token, the stream parsed into `{id, event, data}` records, kept until closed.
 */
export interface SseEvent {
  readonly id: string;
  readonly event: string;
  readonly data: unknown;
}

export interface SseClient {
  readonly events: SseEvent[];
  close(): void;
}

/** Opens the stream; resolves once the headers (and the `connected` comment) have arrived. */
export async function openEventStream(url: string, token: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`the event stream answered ${response.status}`);
  const events: SseEvent[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const pump = async (): Promise<void> => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(': connected')) connected();
          const colon = line.indexOf(': ');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
        }
        const data = fields.get('data');
        if (data !== undefined) events.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(data) });
        end = buffer.indexOf('\n\n');
      }
    }
  };
  pump().catch(() => undefined);
  await ready;
  return { events, close: () => abort.abort() };
}
