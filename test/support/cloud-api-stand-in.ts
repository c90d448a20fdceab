/**
 * A stand-in for Meta's WhatsApp Cloud API on loopback, for every test that sends (channel,
 * campaigns, benchmarks, faults). It answers `POST /{version}/{phone-number-id}/messages` as Meta
 * does (the fixtures' shapes: a wamid per send, `{"success": true}` for read receipts, Graph
 * errors by code), can be scripted to fail, drop or hang, and records every request with the
 * time it arrived, so tests measure pacing where Meta would.
 *
 * Arrivals are timed by a receiver thread of their own (a worker holding the listening socket),
 * not by this thread's event loop, which in-process tests share with FlowChat (an embedded-engine
 * query blocks it for tens of ms) and which tests load with their own work. The receiver stamps a
 * request on its 'request' event: the parser runs on the read that brought the first bytes, so
 * that is the earliest moment JavaScript can see it. Answers are still decided here (scripts are
 * functions of this thread) and written back by the receiver.
 *
 * A receiver is a process like any other: on a busy machine the kernel may not run it for tens of
 * ms, and what arrives meanwhile is read, and stamped, together, as if it had come in a burst. So
 * each request also carries `notBefore`: the last moment the receiver was demonstrably running and
 * had not yet seen it (it ticks every ms while requests come in). The request arrived within
 * [notBefore, at]; `at − notBefore` is about 2 ms when the receiver kept up, more when it stalled.
 * `busiestWindow` counts only what these bounds prove, so a stall of the receiver is not blamed on
 * the sender, and nothing else is forgiven.
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
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { webhookSignature } from '../../src/whatsapp/inbound/webhook-signature.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'cloud-api');

/** A fixture file's exact bytes (sign and post these, never a re-serialised copy). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

export interface RecordedRequest {
  /** Arrival, in milliseconds since the epoch with sub-millisecond precision (when the receiver read it). */
  readonly at: number;
  /** The request certainly arrived after this (ms since the epoch): the receiver was running then and had not read it. */
  readonly notBefore: number;
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
/** The fixtures' WABA id, the main number's: `GET /{version}/{this}/message_templates` lists `setTemplates`' templates. */
export const STAND_IN_WABA_ID = '107318452290331';

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
  /**
   * A WABA's templates (default: STAND_IN_WABA_ID's) as `message_templates` lists them, `pageSize`
   * a page (`paging.next` links the pages); only a token of one of that WABA's numbers reads them.
   */
  setTemplates(templates: ReadonlyArray<Record<string, unknown>>, pageSize?: number, businessAccountId?: string): void;
  /** Template list requests received (of every WABA, or of one). */
  templateListings(businessAccountId?: string): RecordedRequest[];
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
  /** Further numbers it serves, each with its own token (channels added over the API); sends name theirs in the path. */
  readonly otherNumbers?: ReadonlyArray<StandInNumber>;
}

export interface StandInNumber {
  readonly phoneNumberId: string;
  readonly accessToken: string;
  /** What `GET /{phone-number-id}?fields=display_phone_number,…` answers. */
  readonly displayPhoneNumber?: string;
  /** The WABA the number belongs to (default: STAND_IN_WABA_ID): its token reads that WABA's templates. */
  readonly businessAccountId?: string;
}

/** Wall-clock milliseconds with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** What the receiver thread reports and is told (plain data: it crosses threads). */
type FromReceiver =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'request'; readonly id: number; readonly at: number; readonly notBefore: number; readonly method: string; readonly path: string; readonly headers: http.IncomingHttpHeaders; readonly body: string }
  | { readonly type: 'closed' };

type ToReceiver =
  | { readonly type: 'answer'; readonly id: number; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly type: 'drop' | 'hang'; readonly id: number }
  | { readonly type: 'close' };

/**
 * The receiver thread (CommonJS, evaluated in a worker without tsx: it needs only Node). It asks
 * for a higher scheduling priority, which Linux grants per thread to a privileged process and
 * which changes nothing else; elsewhere the request is refused and ignored.
 */
const receiverSource = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const os = require('node:os');
const { performance } = require('node:perf_hooks');

try { os.setPriority(-10); } catch {}
const now = () => performance.timeOrigin + performance.now();

// The tick runs in the timers phase, just before the loop polls its sockets. Bytes read in one
// iteration became readable after the previous poll began, which was after the tick before the
// latest one: that tick's time is a lower bound on their arrival. Every ms while requests come,
// every 10 ms when none came for a second (so the first of a burst is bounded too).
let previousTick = now();
let lastTick = previousTick;
let lastRequest = 0;
let ticker;
function tickEvery(ms) {
  if (ticker) clearInterval(ticker);
  ticker = setInterval(() => {
    previousTick = lastTick;
    lastTick = now();
    if (ms === 1 && lastTick - lastRequest > 1000) tickEvery(10);
  }, ms);
  ticker.period = ms;
}
tickEvery(10);

let nextId = 0;
const waiting = new Map();
const sockets = new Set();
const server = http.createServer((req, res) => {
  const at = now();
  const notBefore = Math.min(previousTick, at);
  lastRequest = at;
  if (ticker.period !== 1) tickEvery(1);
  const id = nextId++;
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    waiting.set(id, res);
    res.on('close', () => waiting.delete(id));
    parentPort.postMessage({ type: 'request', id, at, notBefore, method: req.method || '', path: req.url || '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
  });
});
// Longer than any test's idle gap, so a kept-alive connection is never closed under a send.
server.keepAliveTimeout = 60000;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    clearInterval(ticker);
    for (const socket of sockets) socket.destroy();
    server.close(() => parentPort.postMessage({ type: 'closed' }));
    return;
  }
  const res = waiting.get(message.id);
  if (!res) return;
  if (message.type === 'answer') {
    res.writeHead(message.status, { 'content-type': message.contentType });
    res.end(message.body);
  } else if (message.type === 'drop') {
    if (res.socket) res.socket.destroy();
  }
  // 'hang': never answered; close() destroys its socket.
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
`;

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
  const numbers = new Map<string, StandInNumber>([
    [STAND_IN_PHONE_NUMBER_ID, { phoneNumberId: STAND_IN_PHONE_NUMBER_ID, accessToken, displayPhoneNumber: '+1 555-078-3881' }],
    ...(options.otherNumbers ?? []).map((number) => [number.phoneNumberId, number] as const),
  ]);
  const requests: RecordedRequest[] = [];
  const queued: ScriptedAnswer[] = [];
  let rule: Script | undefined;
  const waiters = new Set<() => void>();
  const templates = new Map<string, { readonly list: ReadonlyArray<Record<string, unknown>>; readonly pageSize: number }>();
  /** The WABA a `GET /{version}/{waba id}/message_templates` path lists, if it is one. */
  const templatesOf = (path: string): string | undefined => new RegExp(`^/${version}/([^/?]+)/message_templates(?:\\?|$)`).exec(path)?.[1];
  const readsTemplates = (token: string | undefined, businessAccountId: string): boolean =>
    [...numbers.values()].some((number) => (number.businessAccountId ?? STAND_IN_WABA_ID) === businessAccountId && token === `Bearer ${number.accessToken}`);
  let url = '';

  const isSend = (request: RecordedRequest): boolean => typeof request.body?.['to'] === 'string';

  const receiver = new Worker(receiverSource, { eval: true, execArgv: [] });
  const tell = (message: ToReceiver): void => receiver.postMessage(message);
  let closed: (() => void) | undefined;

  function respond(id: number, status: number, body: string, contentType = 'application/json'): void {
    tell({ type: 'answer', id, status, contentType, body });
  }

  function answer(id: number, request: RecordedRequest, scripted: ScriptedAnswer): void {
    switch (scripted.kind) {
      case 'success': {
        const body = request.body ?? {};
        if (body['status'] === 'read') return respond(id, 200, JSON.stringify({ success: true }));
        const to = String(body['to'] ?? '');
        const wamid = scripted.wamid ?? wamidFor(to);
        request.wamid = wamid;
        const message = body['type'] === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid };
        return respond(id, 200, JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [message] }));
      }
      case 'error':
        return respond(id, scripted.status ?? 400, graphError(scripted.code));
      case 'http':
        return respond(id, scripted.status, scripted.body ?? '', 'text/html');
      case 'drop':
      case 'hang':
        return tell({ type: scripted.kind, id });
      case 'delay':
        setTimeout(() => answer(id, request, scripted.then ?? { kind: 'success' }), scripted.ms);
    }
  }

  function received(message: Extract<FromReceiver, { type: 'request' }>): void {
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(message.body) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = { at: message.at, notBefore: message.notBefore, method: message.method, path: message.path, headers: message.headers, body };
    requests.push(request);
    for (const wake of [...waiters]) wake();
    const businessAccountId = message.method === 'GET' ? templatesOf(message.path) : undefined;
    if (businessAccountId !== undefined) {
      if (!readsTemplates(message.headers.authorization, businessAccountId)) return respond(message.id, 401, graphError(190));
      return respond(message.id, 200, templatePage(businessAccountId, message.path));
    }
    const number = numbers.get(/^\/[^/]+\/([^/?]+)/.exec(message.path)?.[1] ?? '') ?? numbers.get(STAND_IN_PHONE_NUMBER_ID);
    if (message.headers.authorization !== `Bearer ${number?.accessToken}`) return respond(message.id, 401, graphError(190));
    if (number && message.method === 'GET' && message.path.startsWith(`/${version}/${number.phoneNumberId}?`)) {
      return respond(message.id, 200, JSON.stringify({ id: number.phoneNumberId, display_phone_number: number.displayPhoneNumber ?? '+1 555-000-0000', verified_name: 'FlowChat Stand-in' }));
    }
    if (message.method !== 'POST' || message.path !== `/${version}/${number?.phoneNumberId}/messages`) {
      return respond(message.id, 400, JSON.stringify({ error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } }));
    }
    const scripted = rule?.(request) ?? (isSend(request) ? queued.shift() : undefined) ?? { kind: 'success' };
    answer(message.id, request, scripted);
  }

  /** One page of the template list, as Meta pages it: `after` is an opaque cursor (here the offset). */
  function templatePage(businessAccountId: string, path: string): string {
    const { list, pageSize } = templates.get(businessAccountId) ?? { list: [], pageSize: 100 };
    const query = new URL(path, 'http://stand-in').searchParams;
    const offset = Number(Buffer.from(query.get('after') ?? '', 'base64url').toString() || '0');
    const data = list.slice(offset, offset + pageSize);
    const end = offset + data.length;
    const after = Buffer.from(String(end)).toString('base64url');
    const next = end < list.length ? { next: `${url}/${businessAccountId}/message_templates?limit=${pageSize}&after=${after}` } : {};
    return JSON.stringify({ data, paging: { cursors: { before: 'MAZDZD', after }, ...next } });
  }

  const port = await new Promise<number>((resolve, reject) => {
    receiver.on('message', (message: FromReceiver) => {
      if (message.type === 'listening') resolve(message.port);
      else if (message.type === 'request') received(message);
      else closed?.();
    });
    receiver.once('error', reject);
    receiver.once('exit', (code) => {
      reject(new Error(`the stand-in's receiver thread exited (${code})`));
      closed?.();
    });
  });
  receiver.on('error', (error) => console.error('the stand-in Cloud API receiver failed', error));
  url = `http://127.0.0.1:${port}/${version}`;

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
    setTemplates: (list, pageSize = 100, businessAccountId = STAND_IN_WABA_ID) => void templates.set(businessAccountId, { list, pageSize }),
    templateListings: (businessAccountId) =>
      requests.filter((request) => {
        const listed = request.method === 'GET' ? templatesOf(request.path) : undefined;
        return listed !== undefined && (businessAccountId === undefined || listed === businessAccountId);
      }),
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
      if (receiver.threadId === -1) return;
      await new Promise<void>((resolve) => {
        closed = resolve;
        tell({ type: 'close' });
      });
      await receiver.terminate();
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

export interface Busiest {
  /** The most arrivals that certainly fell within one window, by their `notBefore` and `at` bounds. */
  readonly count: number;
  /** The most by `at` alone (higher when the receiver stalled and read several at once). */
  readonly byStamp: number;
}

/**
 * The busiest window of `windowMs` as the arrivals' bounds prove it: the largest set whose latest
 * possible span, from the earliest `notBefore` to the latest `at`, is shorter than the window.
 * Each arrival lies in [notBefore, at], so a set the receiver stamped close together only because
 * it had not run for a while does not count as a burst; when the receiver kept up (`at −
 * notBefore` of about 2 ms) this is the count over a window shortened by that much.
 */
export function busiestWindow(arrivals: ReadonlyArray<Pick<RecordedRequest, 'at' | 'notBefore'>>, windowMs = 1_000): Busiest {
  const sorted = [...arrivals].sort((a, b) => a.notBefore - b.notBefore);
  let count = 0;
  for (let first = 0; first < sorted.length; first += 1) {
    const end = (sorted[first]?.notBefore ?? 0) + windowMs;
    let within = 0;
    // Every later arrival starts no earlier, and none starting at `end` or later can end before it.
    for (let other = first; other < sorted.length && (sorted[other]?.notBefore ?? end) < end; other += 1) {
      if ((sorted[other]?.at ?? end) < end) within += 1;
    }
    count = Math.max(count, within);
  }
  return { count, byStamp: maxInAnyWindow(arrivals.map((arrival) => arrival.at), windowMs) };
}

/** Headers Meta would send with `body` (signed over exactly these bytes). */
export function signedHeaders(body: Buffer | string, appSecret: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': webhookSignature(body, appSecret) };
}

/** A webhook body carrying one `messages` change for the stand-in's number (or another it serves). */
export function webhookBody(value: Record<string, unknown>, phoneNumberId = STAND_IN_PHONE_NUMBER_ID): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '107318452290331',
      changes: [{
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value },
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
