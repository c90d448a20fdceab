import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/db/connection.js';
import { transaction } from '../../src/db/transaction.js';
import { recordEvent } from '../../src/events/record-event.js';
import { silentLogger } from '../../src/shared/logger.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine, openTestDatabase, serverUrl, type TestDatabase } from '../support/databases.js';
import { openEventStream, type SseConnection } from '../support/sse-client.js';
import { createContact } from '../support/whatsapp.js';

async function listening(t: TestApp): Promise<string> {
  return t.app.listen({ port: 0, host: '127.0.0.1' });
}

forEachEngine('GET /api/v1/events', (suite) => {
  let t: TestApp;
  let url: string;
  let token: string;
  const streams: SseConnection[] = [];

  before(async () => {
    t = await startTestApp(suite.database, { FLOWCHAT_SSE_HEARTBEAT_SECONDS: '1' });
    url = await listening(t);
    ({ token } = await signedInUser(t.ctx, 'agent'));
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await t.close();
  });

  async function open(headers: Record<string, string> = bearer(token)): Promise<SseConnection> {
    const stream = await openEventStream(url, headers);
    streams.push(stream);
    return stream;
  }

  async function sendText(contactId: string, content: string): Promise<string> {
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(token), payload: { type: 'text', content } });
    assert.equal(response.statusCode, 202);
    return response.json().id as string;
  }

  it('refuses anonymous clients, and answers signed-in ones (bearer or cookie) with headers at once', async () => {
    const anonymous = await open({});
    assert.equal(anonymous.status, 401);
    const stream = await open();
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['cache-control'], 'no-cache, no-transform');
    assert.ok(stream.headersAfterMs < 1_000);
    await stream.waitForComment(/^connected$/);
    const viaCookie = await open({ cookie: `flowchat_session=${token}` });
    assert.equal(viaCookie.status, 200);
  });

  it('streams each event with id, type and the resource as the REST API returns it, and heartbeats', async () => {
    const stream = await open();
    await stream.waitForComment(/^connected$/);
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const id = await sendText(contact.id, 'Live!');
    const event = await stream.waitFor((item) => item.event === 'message.created' && JSON.parse(item.data).id === id);
    assert.match(event.id ?? '', /^\d+$/);
    const rest = await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(token) });
    assert.deepEqual(JSON.parse(event.data), rest.json().items[0]);
    await stream.waitForComment(/^ping$/, 3_000);
  });

  it('replays what was missed after Last-Event-ID, then continues live without a gap or a repeat', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const first = await open();
    await first.waitForComment(/^connected$/);
    const seenId = await sendText(contact.id, 'one');
    const seen = await first.waitFor((item) => JSON.parse(item.data).id === seenId);
    first.close();
    const missed = [await sendText(contact.id, 'two'), await sendText(contact.id, 'three')];
    const resumed = await open({ ...bearer(token), 'last-event-id': seen.id ?? '' });
    for (const id of missed) await resumed.waitFor((item) => item.event === 'message.created' && JSON.parse(item.data).id === id);
    const live = await sendText(contact.id, 'four');
    await resumed.waitFor((item) => JSON.parse(item.data).id === live);
    const ids = resumed.events.map((item) => Number(item.id));
    assert.ok(ids.every((id) => id > Number(seen.id)), 'nothing before Last-Event-ID');
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  });
});

describe('GET /api/v1/events across processes [server]', { skip: serverUrl === undefined }, () => {
  let database: TestDatabase;
  let other: TestDatabase;
  let one: TestApp;
  let two: TestApp;

  before(async () => {
    database = await openTestDatabase('server');
    const handle = await connect({ databaseUrl: database.url, logger: silentLogger() });
    other = Object.assign(handle, { url: database.url });
    one = await startTestApp(database);
    two = await startTestApp(other);
  });
  after(async () => {
    await one.close();
    await two.close();
    await other.close();
    await database.close();
  });

  it('shows on one FlowChat the events another FlowChat on the same database recorded', async () => {
    const url = await listening(one);
    const { token } = await signedInUser(one.ctx, 'agent');
    const stream = await openEventStream(url, bearer(token));
    try {
      await stream.waitForComment(/^connected$/);
      const contact = await createContact(two.ctx.db, { inboundHoursAgo: 1 });
      const sent = await two.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(token), payload: { type: 'text', content: 'From the other process' } });
      assert.equal(sent.statusCode, 202);
      const event = await stream.waitFor((item) => item.event === 'message.created' && JSON.parse(item.data).id === sent.json().id);
      assert.equal(JSON.parse(event.data).content, 'From the other process');
    } finally {
      stream.close();
    }
  });
});

describe('GET /api/v1/events resuming across concurrent transactions [server]', { skip: serverUrl === undefined }, () => {
  let database: TestDatabase;
  let t: TestApp;

  before(async () => {
    database = await openTestDatabase('server');
    t = await startTestApp(database);
  });
  after(async () => {
    await t.close();
    await database.close();
  });

  it('still sends, after Last-Event-ID, an event recorded before it but committed after it', { timeout: 30_000 }, async () => {
    const url = await listening(t);
    const { token } = await signedInUser(t.ctx, 'agent');
    const first = await openEventStream(url, bearer(token));
    let resumed: SseConnection | undefined;
    try {
      await first.waitForComment(/^connected$/);
      // One transaction records its event first and commits last; another commits in between.
      let release: () => void = () => undefined;
      let recorded: () => void = () => undefined;
      const mayCommit = new Promise<void>((resolve) => (release = resolve));
      const hasRecorded = new Promise<void>((resolve) => (recorded = resolve));
      const slow = transaction(t.ctx.db, async (trx) => {
        await recordEvent(trx, 'contact.updated', { id: 'recorded first, committed last' });
        recorded();
        await mayCommit;
      });
      await hasRecorded;
      await transaction(t.ctx.db, (trx) => recordEvent(trx, 'contact.updated', { id: 'committed first' }));
      const seen = await first.waitFor((item) => JSON.parse(item.data).id === 'committed first');
      first.close();

      release();
      await slow;
      resumed = await openEventStream(url, { ...bearer(token), 'last-event-id': seen.id ?? '' });
      const late = await resumed.waitFor((item) => JSON.parse(item.data).id === 'recorded first, committed last', 10_000);
      assert.ok(Number(late.id) > Number(seen.id));
    } finally {
      first.close();
      resumed?.close();
    }
  });
});
