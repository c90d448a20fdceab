/**
 * The Cloud API over HTTP: `POST {apiUrl}/{phoneNumberId}/messages` with the bearer token, on
 * kept-alive connections. Every call resolves to a `SendResult` and never throws. What separates
 * `transient` from `unknown` is whether the request could have reached Meta: a connection that was
 * never established carried nothing, while a timeout or a reset after connecting may have.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TransportKind, SendResult, WhatsAppTransport } from '../transport.js';
import type { MarkReadRequest, SendRequest } from './wire-format.js';

export interface CloudApiClientOptions {
  /** Base URL with the version, e.g. `https://graph.facebook.com/v25.0`. */
  readonly apiUrl: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** No answer within this time: the outcome is unknown. */
  readonly timeoutMs: number;
  /** Connections kept open to Meta; sends beyond this would queue, so the sender stays below it. */
  readonly maxSockets: number;
}

const maxAnswerBytes = 1024 * 1024;

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

type Transport = { kind: 'answer'; answer: RawAnswer } | { kind: 'failed'; connected: boolean; reason: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a Cloud API answer: a wamid, a Graph error by code, or a bare HTTP status. */
export function interpretAnswer(answer: RawAnswer, expectWamid: boolean): SendResult {
  const json = record(parseJson(answer.body));
  const error = record(json?.['error']);
  if (error && typeof error['code'] === 'number') {
    const data = record(error['error_data']);
    return {
      kind: 'rejected',
      code: error['code'],
      message: typeof error['message'] === 'string' ? error['message'] : `Error ${error['code']}`,
      details: typeof data?.['details'] === 'string' ? data['details'] : undefined,
      fbtraceId: typeof error['fbtrace_id'] === 'string' ? error['fbtrace_id'] : undefined,
    };
  }
  if (answer.status >= 200 && answer.status < 300) {
    if (!expectWamid) return { kind: 'accepted', wamid: '', waId: undefined };
    const messages = json?.['messages'];
    const first = Array.isArray(messages) ? record(messages[0]) : undefined;
    const contacts = json?.['contacts'];
    const contact = Array.isArray(contacts) ? record(contacts[0]) : undefined;
    if (typeof first?.['id'] === 'string' && first['id'] !== '') {
      return { kind: 'accepted', wamid: first['id'], waId: typeof contact?.['wa_id'] === 'string' ? contact['wa_id'] : undefined };
    }
    return { kind: 'unknown', reason: `HTTP ${answer.status} without a message id` };
  }
  if (answer.status >= 500 || answer.status === 429) return { kind: 'transient', reason: `HTTP ${answer.status}` };
  return { kind: 'misconfigured', reason: `The Cloud API answered HTTP ${answer.status} without an error body` };
}

export class CloudApiClient implements WhatsAppTransport {
  readonly kind: TransportKind = 'cloud_api';
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly options: CloudApiClientOptions) {
    this.url = new URL(`${options.apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.phoneNumberId)}/messages`);
    const secure = this.url.protocol === 'https:';
    this.transport = secure ? https : http;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, scheduling: 'lifo' as const };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  async send(request: SendRequest): Promise<SendResult> {
    return this.call(request, true);
  }

  async markRead(request: MarkReadRequest): Promise<SendResult> {
    return this.call(request, false);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private async call(body: SendRequest | MarkReadRequest, expectWamid: boolean): Promise<SendResult> {
    const outcome = await this.post(Buffer.from(JSON.stringify(body)));
    if (outcome.kind === 'answer') return interpretAnswer(outcome.answer, expectWamid);
    return outcome.connected ? { kind: 'unknown', reason: outcome.reason } : { kind: 'transient', reason: outcome.reason };
  }

  private post(payload: Buffer): Promise<Transport> {
    return new Promise((resolve) => {
      let connected = false;
      let settled = false;
      const settle = (result: Transport): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = this.transport.request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': 'FlowChat',
        },
      });
      const timer = setTimeout(() => {
        settle({ kind: 'failed', connected, reason: `no answer within ${this.options.timeoutMs} ms` });
        request.destroy();
      }, this.options.timeoutMs);
      request.on('socket', (socket: Socket) => {
        if (!socket.connecting) connected = true;
        else socket.once(this.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => (connected = true));
      });
      request.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'failed', connected, reason: error.code ?? error.message }));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxAnswerBytes) chunks.push(chunk);
        });
        response.on('end', () => settle({ kind: 'answer', answer: { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } }));
        response.on('error', (error: NodeJS.ErrnoException) => settle({ kind: 'failed', connected: true, reason: error.code ?? error.message }));
      });
      request.end(payload);
    });
  }
}
