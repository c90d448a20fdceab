/**
 * A stand-in for Meta's WhatsApp Cloud API on loopback, for every test that sends (channel,
 * campaigns, benchmarks, faults). It answers `POST /{version}/{phone-number-id}/messages` as Meta
 * does (the fixtures' shapes: a wamid per send, `{"success": true}` for read receipts, Graph
 * errors by code), can be scripted to fail, drop or hang, and records every request with the
 * time it arrived, so tests measure pacing where Meta would.
 *
 * @example
 * const cloud = await startCloudApiStandIn();
 * const t = await startTestApp(database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: '1000' }, true);
 * cloud.answerNext({ kind: 'error', code: 130429 });
 * const [send] = await cloud.waitForSends(1);
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { webhookSignature } from '../../src/whatsapp/webhook-signature.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cloud-api');

/** A fixture file's exact bytes (sign and post these, never a re-serialised copy). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

export interface RecordedRequest {
  /** Arrival, in milliseconds since the epoch with sub-millisecond precision. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly body: Record<string, unknown> | undefined;
  /** The wamid the stand-in answered with, for accepted sends. */
  wamid?: string;
}

export type ScriptedAnswer =
  /** Accepted, like Meta: a fresh wamid unless given (templates add `message_status: "accepted"`). */
  | { readonly kind: 'success'; readonly wamid?: string }
  /** A Graph error with this code (the fixture's body when there is one), HTTP 400 unless given. */
  | { readonly kind: 'error'; readonly code: number; readonly status?: number }
  /** A bare HTTP answer. */
  | { readonly kind: 'http'; readonly status: number; readonly body?: string }
  /** Reads the request, then closes the connection without answering. */
  | { readonly kind: 'drop' }
  /** Reads the request and never answers (until the stand-in closes). */
  | { readonly kind: 'hang' }
  /** Answers `then` (default success) after `ms`. */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: ScriptedAnswer };

/** Decides the answer to one request; undefined falls through to the queued answers, then success. */
export type Script = (request: RecordedRequest) => ScriptedAnswer | undefined;

export const STAND_IN_PHONE_NUMBER_ID = '106540352242922';

export interface CloudApiStandIn {
  /** The base URL with the version, for WHATSAPP_API_URL. */
  readonly url: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The environment that points FlowChat at this stand-in (cloud_api mode). */
  env(): Record<string, string>;
  /** Message sends only (not read receipts). */
  sends(): RecordedRequest[];
  readReceipts(): RecordedRequest[];
  /** Queues answers for the next sends, in order. */
  answerNext(...answers: ScriptedAnswer[]): void;
  /** A rule consulted first for every request; `undefined` removes it. */
  script(rule: Script | undefined): void;
  /** Resolves once at least `count` sends arrived (matching `filter`), or rejects after `timeoutMs`. */
  waitForSends(count: number, timeoutMs?: number, filter?: (request: RecordedRequest) => boolean): Promise<RecordedRequest[]>;
  /** Drops the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  readonly accessToken?: string;
  readonly appSecret?: string;
  readonly verifyToken?: string;
  readonly version?: string;
}

/** Wall-clock milliseconds with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

function wamidFor(to: string): string {
  return `wamid.${Buffer.from(`${to.replace(/\D/g, '')}:${randomBytes(9).toString('hex')}`).toString('base64url')}`;
}

function graphError(code: number): string {
  const file = join(fixturesDir, `error-${code}-response.json`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  return JSON.stringify({
    error: {
      message: `(#${code}) Error ${code}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: `Stand-in error ${code}` },
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  });
}

export async function startCloudApiStandIn(options: StandInOptions = {}): Promise<CloudApiStandIn> {
  const accessToken = options.accessToken ?? `EAAG${randomBytes(12).toString('hex')}`;
  const appSecret = options.appSecret ?? randomBytes(16).toString('hex');
  const verifyToken = options.verifyToken ?? randomBytes(8).toString('hex');
  const version = options.version ?? 'v25.0';
  const requests: RecordedRequest[] = [];
  const queued: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<http.ServerResponse>();
  let rule: Script | undefined;
  const waiters = new Set<() => void>();

  const isSend = (request: RecordedRequest): boolean => typeof request.body?.['to'] === 'string';

  function respond(response: http.ServerResponse, status: number, body: string): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  }

  function answer(request: RecordedRequest, response: http.ServerResponse, scripted: ScriptedAnswer): void {
    switch (scripted.kind) {
      case 'success': {
        const body = request.body ?? {};
        if (body['status'] === 'read') return respond(response, 200, JSON.stringify({ success: true }));
        const to = String(body['to'] ?? '');
        const wamid = scripted.wamid ?? wamidFor(to);
        request.wamid = wamid;
        const message = body['type'] === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid };
        return respond(response, 200, JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [message] }));
      }
      case 'error':
        return respond(response, scripted.status ?? 400, graphError(scripted.code));
      case 'http':
        response.writeHead(scripted.status, { 'content-type': 'text/html' });
        response.end(scripted.body ?? '');
        return;
      case 'drop':
        response.socket?.destroy();
        return;
      case 'hang':
        hanging.add(response);
        return;
      case 'delay':
        setTimeout(() => answer(request, response, scripted.then ?? { kind: 'success' }), scripted.ms);
    }
  }

  const server = http.createServer((req, res) => {
    const at = preciseNow();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      const request: RecordedRequest = { at, method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      for (const wake of [...waiters]) wake();
      if (req.headers.authorization !== `Bearer ${accessToken}`) return respond(res, 401, graphError(190));
      if (req.method !== 'POST' || req.url !== `/${version}/${STAND_IN_PHONE_NUMBER_ID}/messages`) {
        return respond(res, 400, JSON.stringify({ error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } }));
      }
      const scripted = rule?.(request) ?? (isSend(request) ? queued.shift() : undefined) ?? { kind: 'success' };
      answer(request, res, scripted);
    });
  });
  // Longer than any test's idle gap, so a kept-alive connection is never closed under a send.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${version}`;

  return {
    url,
    phoneNumberId: STAND_IN_PHONE_NUMBER_ID,
    accessToken,
    appSecret,
    verifyToken,
    requests,
    env: () => ({
      WHATSAPP_ACCESS_TOKEN: accessToken,
      WHATSAPP_PHONE_NUMBER_ID: STAND_IN_PHONE_NUMBER_ID,
      WHATSAPP_API_URL: url,
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_VERIFY_TOKEN: verifyToken,
    }),
    sends: () => requests.filter(isSend),
    readReceipts: () => requests.filter((request) => request.body?.['status'] === 'read'),
    answerNext: (...answers) => queued.push(...answers),
    script: (next) => (rule = next),
    async waitForSends(count, timeoutMs = 10_000, filter = () => true) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = requests.filter((request) => isSend(request) && filter(request));
        if (matching.length >= count) return matching;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the stand-in Cloud API received ${matching.length} of ${count} sends in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 50));
          waiters.add(wake);
        });
      }
    },
    reset: () => {
      requests.length = 0;
      queued.length = 0;
    },
    async close() {
      for (const response of hanging) response.socket?.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The most requests in any window of `windowMs` (a sliding window over arrival times). */
export function maxInAnyWindow(times: readonly number[], windowMs = 1_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Headers Meta would send with `body` (signed over exactly these bytes). */
export function signedHeaders(body: Buffer | string, appSecret: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': webhookSignature(body, appSecret) };
}

/** A webhook body carrying one `messages` change for the stand-in's number. */
export function webhookBody(value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '107318452290331',
      changes: [{
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: STAND_IN_PHONE_NUMBER_ID }, ...value },
      }],
    }],
  });
}

/** A status webhook like Meta's for one message. */
export function statusWebhookBody(status: { wamid: string; status: string; flowchatId?: string; recipient?: string; timestamp?: number; error?: { code: number; title: string; details?: string } }): string {
  return webhookBody({
    statuses: [{
      id: status.wamid,
      status: status.status,
      timestamp: String(status.timestamp ?? Math.floor(Date.now() / 1000)),
      recipient_id: status.recipient ?? '14155550123',
      ...(status.flowchatId ? { biz_opaque_callback_data: status.flowchatId } : {}),
      ...(status.error
        ? { errors: [{ code: status.error.code, title: status.error.title, message: status.error.title, error_data: { details: status.error.details ?? status.error.title } }] }
        : {}),
    }],
  });
}

/** A customer's text message as Meta would post it. */
export function inboundTextWebhookBody(message: { from: string; text: string; name?: string; wamid?: string; timestamp?: number }): string {
  return webhookBody({
    contacts: [{ profile: { name: message.name ?? 'Customer' }, wa_id: message.from }],
    messages: [{
      from: message.from,
      id: message.wamid ?? `wamid.IN${randomBytes(12).toString('hex')}`,
      timestamp: String(message.timestamp ?? Math.floor(Date.now() / 1000)),
      type: 'text',
      text: { body: message.text },
    }],
  });
}
