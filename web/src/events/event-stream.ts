import { apiUrl } from '../api/client.js';
import type { Campaign, CatalogueTemplate, Contact, Message } from '../api/types.js';
import { SseParser } from './sse-parser.js';

/** The events FlowChat streams, each carrying the resource as the REST API returns it. */
export interface EventPayloads {
  'message.created': Message;
  'message.updated': Message;
  'contact.updated': Contact;
  'campaign.updated': Campaign;
  'template.updated': CatalogueTemplate;
}

export type EventType = keyof EventPayloads;
type Handler<T extends EventType> = (payload: EventPayloads[T]) => void;
type AnyHandler = (payload: unknown) => void;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

const MAX_BACKOFF_MS = 15_000;

/**
 * The live connection to `GET /api/v1/events`. It reads the stream with fetch rather than
 * EventSource so that every reconnect, including after the server answered an error (where
 * EventSource gives up for good), sends `Last-Event-ID` and the server replays what was missed.
 */
export class EventStream {
  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly stateListeners = new Set<(state: StreamState, resumed: boolean) => void>();
  private lastEventId: string | null = null;
  private controller: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private state: StreamState = 'stopped';
  private connectedOnce = false;

  start(): void {
    if (this.state !== 'stopped') return;
    this.setState('connecting', false);
    void this.connect();
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connectedOnce = false;
    this.lastEventId = null;
    this.setState('stopped', false);
  }

  on<T extends EventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const untyped = handler as AnyHandler;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  /** `resumed` is true when the stream came back after a drop, so views may refresh. */
  onState(listener: (state: StreamState, resumed: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  getState(): StreamState {
    return this.state;
  }

  private async connect(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      const response = await fetch(apiUrl('/events'), { headers, credentials: 'same-origin', signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
      const resumed = this.connectedOnce;
      this.connectedOnce = true;
      this.attempts = 0;
      this.setState('live', resumed);
      await this.read(response.body, controller.signal);
    } catch {
      // Network drops and error answers alike end here; the retry below handles both.
    }
    if (controller.signal.aborted || this.controller !== controller) return;
    this.scheduleRetry();
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) this.dispatch(event.id, event.type, event.data);
    }
  }

  private dispatch(id: string | null, type: string, data: string): void {
    if (id) this.lastEventId = id;
    const set = this.handlers.get(type);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const handler of [...set]) handler(payload);
  }

  private scheduleRetry(): void {
    this.setState('reconnecting', false);
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.8 + Math.random() * 0.4);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private setState(state: StreamState, resumed: boolean): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, resumed);
  }
}

/** The one stream the app shares; screens subscribe through `useEvent`. */
export const eventStream = new EventStream();
