/**
 * Property-based fuzzing (fast-check, fixed seed) of every route the OpenAPI document lists, on a
 * real FlowChat over PostgreSQL: hostile bodies, queries, path ids and credentials never get a 5xx
 * or a hung request, and a request that is refused leaves every table as it was (no half-written
 * record).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import type { ServerProcess } from '../support/processes.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import { encodeLoosely, nastyIds, nastyStrings, queryString, rawBodies, shapedBody, wrongValue, type RawBody } from './support/bad-input.js';
import { killAll, signIn, startFlowChat, type Api } from './support/flowchat.js';
import { report } from './support/report.js';

const SEED = 20_240_318;
const RUNS = 4_000;
const answerWithinMs = 10_000;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly bodyKeys: readonly string[];
  readonly query: readonly string[];
  readonly takesBody: boolean;
}

interface Attempt {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string | undefined;
}

interface Outcome {
  readonly status: number;
  readonly ms: number;
}

/** Tables a refused request must leave untouched (login failures are meant to be recorded, so attempts and audit are not here). */
const guardedTables = [
  'contacts', 'messages', 'users', 'api_keys', 'webhooks', 'webhook_deliveries', 'campaigns', 'campaign_skipped_recipients',
  'segments', 'quick_replies', 'idempotency_keys', 'whatsapp_webhook_events',
] as const;

describe('fuzzing every route with hostile input', () => {
  let database: TestDatabase;
  let cloud: CloudApiStandIn;
  let server: ServerProcess;
  let admin: Api;
  let operations: Operation[] = [];
  const credentials: Record<string, string> = {};
  const realIds: string[] = [];
  let fixtures: { userId: string } = { userId: '' };

  before(async () => {
    database = await openTestDatabase('server');
    cloud = await startCloudApiStandIn();
    server = await startFlowChat({ DATABASE_URL: database.url ?? '', ...cloud.env() });
    admin = await signIn(server.url);
    credentials['admin'] = `Bearer ${admin.token}`;
    const agentPassword = 'fuzz-agent-password-1';
    await admin.call('POST', '/api/v1/users', { email: 'fuzz-agent@faults.test', name: 'Fuzz agent', role: 'agent', password: agentPassword });
    credentials['agent'] = `Bearer ${(await signIn(server.url, 'fuzz-agent@faults.test', agentPassword)).token}`;
    credentials['api key'] = `Bearer ${((await admin.call('POST', '/api/v1/api-keys', { name: 'fuzz' })).json as { key: string }).key}`;
    credentials['garbage'] = 'Bearer fc_garbage_token_that_matches_nothing';
    credentials['malformed'] = 'Basic YWRtaW46YWRtaW4=';
    fixtures = { userId: ((await admin.call('GET', '/api/v1/auth/me')).json as { id: string }).id };
    const contact = (await admin.call('POST', '/api/v1/contacts', { phone: '+14155550900', name: 'Fuzz target', tags: ['fuzz'] })).json as { id: string };
    const segment = (await admin.call('POST', '/api/v1/segments', { name: 'fuzz', filter: { tags: ['fuzz'] } })).json as { id: string };
    const campaign = (await admin.call('POST', '/api/v1/campaigns', { name: 'fuzz', template: { name: 'fuzz_notice', language: 'en_US' }, audience: { tags: ['fuzz'] } })).json as { id: string };
    const hook = (await admin.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.created'] })).json as { id: string };
    realIds.push(contact.id, segment.id, campaign.id, hook.id);

    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        bodyKeys: Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        takesBody: method !== 'get',
      })),
    );
    assert.ok(operations.length >= 40, `the document lists ${operations.length} operations`);
  });

  after(async () => {
    await killAll();
    await cloud.close();
    await database.close();
  });

  async function tableCounts(): Promise<string> {
    const columns = sql.join(guardedTables.map((table) => sql`(SELECT count(*) FROM ${sql.table(table)})`), sql`, `);
    const row = await sql<{ counts: string }>`SELECT concat_ws(',', ${columns}) AS counts`.execute(database.db);
    return row.rows[0]?.counts ?? '';
  }

  /** Logout would end the session every other request uses, so it gets a session of its own. */
  async function throwawaySession(): Promise<string> {
    const { token } = await new SessionRepository(database.db).create(fixtures.userId, 3_600);
    return `Bearer ${token}`;
  }

  async function attempt(request: Attempt): Promise<Outcome> {
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(answerWithinMs),
      });
      status = response.status;
      // The event stream never ends: its status and headers are the answer.
      if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) await response.body?.cancel();
      else await response.arrayBuffer();
    } catch {
      status = 0;
    }
    return { status, ms: performance.now() - started };
  }

  async function build(operation: Operation, parts: { id: string; eventId: string; query: string; body: unknown; raw: RawBody | undefined; auth: string; key: string | undefined }): Promise<Attempt> {
    const path = operation.path.replace('{id}', parts.id).replace('{event_id}', parts.eventId);
    const authorization = operation.path === '/api/v1/auth/logout' && parts.auth === 'admin' ? await throwawaySession() : credentials[parts.auth];
    const headers: Record<string, string> = {
      ...(authorization === undefined ? {} : { authorization }),
      ...(parts.key === undefined ? {} : { 'idempotency-key': parts.key }),
      'last-event-id': parts.eventId,
      'x-forwarded-for': `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    };
    let body: Buffer | string | undefined;
    if (operation.takesBody && parts.raw) {
      headers['content-type'] = parts.raw.contentType;
      body = parts.raw.bytes;
    } else if (operation.takesBody && parts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(parts.body);
    }
    return { method: operation.method, url: `${server.url}${path}${parts.query ? `?${parts.query}` : ''}`, headers, body };
  }

  function describeAttempt(request: Attempt): string {
    const body = request.body === undefined ? '' : ` body ${String(request.body).slice(0, 200)}${String(request.body).length > 200 ? '…' : ''}`;
    return `${request.method} ${request.url.slice(0, 300)} (${request.headers['authorization']?.slice(0, 12) ?? 'anonymous'})${body}`;
  }

  async function check(request: Attempt, failures: string[]): Promise<Outcome> {
    const before = request.method === 'GET' ? '' : await tableCounts();
    const outcome = await attempt(request);
    if (outcome.status >= 500 || outcome.status === 0) failures.push(`${outcome.status || 'no answer'} in ${Math.round(outcome.ms)} ms: ${describeAttempt(request)}`);
    else if (request.method !== 'GET' && (outcome.status < 200 || outcome.status >= 300)) {
      const afterCounts = await tableCounts();
      if (afterCounts !== before) failures.push(`refused with ${outcome.status} but rows changed (${before} → ${afterCounts}): ${describeAttempt(request)}`);
    }
    return outcome;
  }

  it('refuses malformed raw bodies on every route that takes one with a 4xx, writing nothing', async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const operation of operations.filter((candidate) => candidate.takesBody)) {
      for (const raw of rawBodies) {
        const request = await build(operation, { id: realIds[0] ?? '', eventId: '1', query: '', body: undefined, raw, auth: 'admin', key: undefined });
        const { status } = await check(request, failures);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
    assert.deepEqual(failures, []);
    report(
      `raw hostile bodies (${rawBodies.map((raw) => raw.label).join(', ')}) on every route that takes a body`,
      'a 4xx, never a 5xx or a hang; nothing written when refused',
      `${[...statuses.values()].reduce((sum, count) => sum + count, 0)} requests: ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${count}×${status}`).join(', ')}`,
    );
  });

  it(`answers ${RUNS} generated hostile requests without a 5xx, a hang or a half-written record (seed ${SEED})`, async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const ids = [...nastyIds, ...realIds, ...nastyStrings.filter((text) => text.length < 100).map(encodeLoosely)];
    const requestArbitrary = fc.constantFrom(...operations).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        id: fc.constantFrom(...ids),
        eventId: fc.constantFrom('1', '-1', '0', '999999999999999999999', 'abc', "1' OR '1'='1", ''),
        query: queryString(operation.query),
        body: fc.oneof({ weight: 3, arbitrary: shapedBody(operation.bodyKeys) }, { weight: 1, arbitrary: wrongValue }, { weight: 1, arbitrary: fc.constant(undefined) }),
        raw: fc.option(fc.constantFrom(...rawBodies), { freq: 8 }).map((raw) => raw ?? undefined),
        auth: fc.constantFrom('admin', 'admin', 'admin', 'agent', 'api key', 'garbage', 'malformed', 'anonymous'),
        key: fc.option(fc.constantFrom('k-1', ...nastyStrings.filter((text) => text.length < 300 && !/[\r\n\u0000-\u001f\u007f-\uffff]/.test(text))), { freq: 4 }).map((key) => key ?? undefined),
      }),
    );
    console.log(`fast-check seed ${SEED}, ${RUNS} runs`);
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (parts) => {
        const request = await build(parts.operation, parts);
        const failed = failures.length;
        const { status } = await check(request, failures);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        return failures.length === failed;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    ).catch((error: unknown) => {
      throw new Error(`${failures.join('\n')}\n${String(error).slice(0, 2_000)}`);
    });
    assert.equal(server.child.exitCode, null, 'the process survived');
    report(
      `${RUNS} generated requests over ${operations.length} routes: wrong types, injection strings, Unicode edge cases, path tricks, bad credentials (fast-check seed ${SEED})`,
      'never a 5xx or a hang; refused writes change no row',
      `${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${count}×${status}`).join(', ')}; 0 failures`,
    );
  });
});
