import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ENV_CHANNEL_ID } from '../../src/channels/environment-channel.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { fixtureBytes, signedHeaders, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { openEventStream, type SseConnection } from '../support/sse-client.js';
import { eventually, messageInStatus, postWebhook, queueMessages, webhooksProcessed } from '../support/whatsapp.js';
import { addChannel, inboundTextFor, secondNumber } from './support.js';

forEachEngine('channels: routing, sending, members, deleting', (suite) => {
  let cloud: CloudApiStandIn;
  const support = secondNumber();
  let t: TestApp;
  let url: string;
  let admin: string;
  let supportId: string;
  let wamidCounter = 0;
  const streams: SseConnection[] = [];

  before(async () => {
    cloud = await startCloudApiStandIn({ otherNumbers: [support] });
    t = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: '100', FLOWCHAT_SECRET_KEY: 'a'.repeat(64) }, true);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ({ token: admin } = await signedInUser(t.ctx, 'admin'));
    supportId = (await addChannel(t.app, admin, support)).id;
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await t.close();
    await cloud.close();
  });

  /** A customer writes to the support number; answers the contact id. */
  async function writesToSupport(phone = uniquePhone(), text = 'Hello support'): Promise<string> {
    wamidCounter += 1;
    const wamid = `wamid.SUPPORT${wamidCounter}${Date.now()}`;
    const response = await postWebhook(t.app, inboundTextFor(support.phoneNumberId, { from: phone.slice(1), text, wamid }), support.appSecret);
    assert.equal(response.statusCode, 200);
    const message = await eventually(() => t.ctx.db.selectFrom('messages').selectAll().where('external_id', '=', wamid).executeTakeFirst());
    return message.contact_id;
  }

  it('takes webhooks signed by any channel, routes them by phone_number_id, and answers the handshake with any verify token', async () => {
    const contactId = await writesToSupport();
    const message = await t.ctx.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId).executeTakeFirstOrThrow();
    assert.equal(message.channel_id, supportId);
    const contact = await t.ctx.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
    assert.equal(contact.channel_id, supportId, 'the conversation is the support number’s');

    const envInbound = await postWebhook(t.app, fixtureBytes('webhook-inbound-text.json'), cloud.appSecret);
    assert.equal(envInbound.statusCode, 200, 'the environment channel’s app secret still signs');
    await webhooksProcessed(t.ctx.db);
    const dana = await t.ctx.db.selectFrom('messages').select('channel_id').where('external_id', 'like', 'wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTdGMkM5MUU0QjA1RDZBOEMxMwA%').executeTakeFirstOrThrow();
    assert.equal(dana.channel_id, ENV_CHANNEL_ID);

    const body = inboundTextFor(support.phoneNumberId, { from: '15550009999', text: 'forged', wamid: 'wamid.FORGED' });
    const forged = await t.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: signedHeaders(body, 'someone-else'), payload: body });
    assert.equal(forged.statusCode, 401);

    const stranger = await postWebhook(t.app, inboundTextFor('999999999999999', { from: '15550008888', text: 'hi', wamid: 'wamid.STRANGER' }), support.appSecret);
    assert.equal(stranger.statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    assert.equal(await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', 'wamid.STRANGER').executeTakeFirst(), undefined, 'a number no channel serves is stored and ignored');

    for (const token of [support.verifyToken, cloud.verifyToken]) {
      const handshake = await t.app.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${token}` });
      assert.equal(handshake.statusCode, 200);
      assert.equal(handshake.payload, '42');
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=nope' })).statusCode, 403);
  });

  it('replies on the channel the contact wrote to, with that number’s token; the window is per number', async () => {
    const contactId = await writesToSupport();
    const reply = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(admin), payload: { type: 'text', content: 'Hi, support here' } });
    assert.equal(reply.statusCode, 202, reply.payload);
    assert.equal(reply.json().channel_id, supportId);
    const [send] = await cloud.waitForSends(1, 10_000, (request) => request.body?.['to'] !== undefined && (request.body?.['text'] as { body?: string } | undefined)?.body === 'Hi, support here');
    assert.ok(send);
    assert.equal(send.path, `/v25.0/${support.phoneNumberId}/messages`);
    assert.equal(send.headers.authorization, `Bearer ${support.accessToken}`);
    await messageInStatus(t.ctx.db, reply.json().id, 'sent');

    const otherNumber = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(admin), payload: { type: 'text', content: 'From sales', channel_id: ENV_CHANNEL_ID } });
    assert.equal(otherNumber.statusCode, 422, 'the contact never wrote to the environment number');
    assert.equal(otherNumber.json().error.code, 'window_closed');
    const template = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/${contactId}/messages`,
      headers: bearer(admin),
      payload: { type: 'template', template: { name: 'hello_world', language: 'en_US' }, channel_id: ENV_CHANNEL_ID },
    });
    assert.equal(template.statusCode, 202);
    assert.equal(template.json().channel_id, ENV_CHANNEL_ID);
    const [viaEnv] = await cloud.waitForSends(1, 10_000, (request) => (request.body?.['template'] as { name?: string } | undefined)?.name === 'hello_world');
    assert.equal(viaEnv?.path, `/v25.0/${cloud.phoneNumberId}/messages`);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(admin), payload: { type: 'text', content: 'x', channel_id: '00000000-0000-4000-8000-0000000000aa' } });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'unknown_channel');
  });

  it('paces each number on its own: a backlog on one never delays the other', async (context) => {
    const slowed = await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/${supportId}`, headers: bearer(admin), payload: { rate_limit: 1 } });
    assert.equal(slowed.statusCode, 200);
    const backlogContact = await writesToSupport();
    const backlog = await queueMessages(t.ctx.db, Array.from({ length: 8 }, () => ({ contact_id: backlogContact, channel_id: supportId, type: 'template', content: null, template: { name: 'backlog', language: 'en_US' } })));
    t.ctx.whatsapp.sender.wake();
    await cloud.waitForSends(1, 10_000, (request) => (request.body?.['template'] as { name?: string } | undefined)?.name === 'backlog');
    const queuedAt = Date.now();
    const [other] = await queueMessages(t.ctx.db, [{ contact_id: backlogContact, channel_id: ENV_CHANNEL_ID, type: 'template', content: null, template: { name: 'not_delayed', language: 'en_US' } }]);
    assert.ok(other);
    t.ctx.whatsapp.sender.wake();
    await messageInStatus(t.ctx.db, other.id, 'sent', 5_000);
    const waited = Date.now() - queuedAt;
    const backlogSent = cloud.sends().filter((request) => (request.body?.['template'] as { name?: string } | undefined)?.name === 'backlog').length;
    assert.ok(backlogSent < backlog.length, `the support backlog is still draining at 1/s (${backlogSent} of ${backlog.length} sent)`);
    assert.ok(waited < 2_000, `the environment number's message went out after ${waited} ms, not behind the backlog`);
    context.diagnostic(`environment number's message sent ${waited} ms after it was queued, with ${backlog.length - backlogSent} support messages still waiting at 1/s`);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/${supportId}`, headers: bearer(admin), payload: { rate_limit: null } });
  });

  it('shows agents only their channels’ conversations, threads and events (404 otherwise)', async () => {
    const { user: supportAgent, token: supportToken } = await signedInUser(t.ctx, 'agent');
    const { user: salesAgent, token: salesToken } = await signedInUser(t.ctx, 'agent');
    for (const [channelId, userId] of [[supportId, supportAgent.id], [ENV_CHANNEL_ID, salesAgent.id]] as const) {
      const set = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/${channelId}/members`, headers: bearer(admin), payload: { user_ids: [userId] } });
      assert.equal(set.statusCode, 200);
    }
    const salesStream = await openEventStream(url, bearer(salesToken));
    const supportStream = await openEventStream(url, bearer(supportToken));
    streams.push(salesStream, supportStream);
    await supportStream.waitForComment(/connected/);
    await salesStream.waitForComment(/connected/);

    // The customer wrote to sales first, then to support: the conversation is support's now.
    const phone = uniquePhone();
    const toSales = await postWebhook(t.app, inboundTextFor(cloud.phoneNumberId, { from: phone.slice(1), text: 'Asked sales', wamid: `wamid.SALES${Date.now()}` }), cloud.appSecret);
    assert.equal(toSales.statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    const contactId = await writesToSupport(phone, 'Members only');
    const created = (event: { event: string; data: string }) => event.event === 'message.created' && JSON.parse(event.data).contact_id === contactId;
    await supportStream.waitFor(created);

    const thread = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(token) });
    const supportThread = await thread(supportToken);
    assert.equal(supportThread.statusCode, 200);
    assert.deepEqual(supportThread.json().items.map((item: { content: string }) => item.content), ['Members only'], 'only what came in on their number');
    assert.equal((await thread(admin)).json().items.length, 2);
    const hidden = await thread(salesToken);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().error.code, 'contact_not_found');
    const send = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(salesToken), payload: { type: 'text', content: 'not mine' } });
    assert.equal(send.statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${contactId}`, headers: bearer(salesToken) })).statusCode, 404);
    const mine = async (token: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/channels/mine', headers: bearer(token) })).json().items.map((item: { id: string }) => item.id);
    assert.deepEqual(await mine(salesToken), [ENV_CHANNEL_ID]);
    assert.deepEqual(await mine(supportToken), [supportId]);
    assert.deepEqual(await mine(admin), [ENV_CHANNEL_ID, supportId]);

    const list = async (token: string, query = '') => (await t.app.inject({ method: 'GET', url: `/api/v1/conversations${query}`, headers: bearer(token) })).json().items.map((item: { contact: { id: string } }) => item.contact.id);
    assert.ok((await list(supportToken)).includes(contactId));
    assert.ok(!(await list(salesToken)).includes(contactId));
    const filtered = await t.app.inject({ method: 'GET', url: `/api/v1/conversations?channel_id=${supportId}`, headers: bearer(admin) });
    const items = filtered.json().items as Array<{ channel_id: string; contact: { id: string } }>;
    assert.ok(items.length > 0 && items.every((item) => item.channel_id === supportId));
    assert.ok(!(await list(admin, `?channel_id=${ENV_CHANNEL_ID}`)).includes(contactId));

    // The sales agent's stream had the customer's message to sales, and nothing of the support number.
    await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/read`, headers: bearer(supportToken) });
    await supportStream.waitFor((event) => event.event === 'contact.updated' && JSON.parse(event.data).id === contactId && JSON.parse(event.data).unread_count === 0);
    await salesStream.waitFor((event) => event.event === 'message.created' && JSON.parse(event.data).content === 'Asked sales');
    assert.ok(!salesStream.events.some((event) => JSON.parse(event.data).channel_id === supportId), 'no event of the support number');

    for (const channelId of [supportId, ENV_CHANNEL_ID]) {
      await t.app.inject({ method: 'PUT', url: `/api/v1/channels/${channelId}/members`, headers: bearer(admin), payload: { user_ids: [] } });
    }
  });

  it('pauses only the number whose token Meta refuses; the other keeps sending, and a new token resumes it', async () => {
    const contactId = await writesToSupport();
    cloud.script((request) => (request.path.includes(support.phoneNumberId) && request.method === 'POST' ? { kind: 'error', code: 190 } : undefined));
    try {
      const [refused] = await queueMessages(t.ctx.db, [{ contact_id: contactId, channel_id: supportId, type: 'template', content: null, template: { name: 'expired_token', language: 'en_US' } }]);
      assert.ok(refused);
      t.ctx.whatsapp.sender.wake();
      const shown = await eventually(async () => {
        const channel = (await t.app.inject({ method: 'GET', url: `/api/v1/channels/${supportId}`, headers: bearer(admin) })).json();
        return channel.status === 'error' ? channel : undefined;
      }, 10_000, 'the support number to show its error');
      assert.equal(shown.status, 'error');
      assert.equal((await t.ctx.db.selectFrom('messages').select('status').where('id', '=', refused.id).executeTakeFirstOrThrow()).status, 'pending', 'kept for when sending resumes');
      const env = (await t.app.inject({ method: 'GET', url: `/api/v1/channels/${ENV_CHANNEL_ID}`, headers: bearer(admin) })).json();
      assert.equal(env.status, 'active');
      const [other] = await queueMessages(t.ctx.db, [{ contact_id: contactId, channel_id: ENV_CHANNEL_ID, type: 'template', content: null, template: { name: 'still_going', language: 'en_US' } }]);
      assert.ok(other);
      t.ctx.whatsapp.sender.wake();
      await messageInStatus(t.ctx.db, other.id, 'sent');
      cloud.script(undefined);
      const renewed = await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/${supportId}`, headers: bearer(admin), payload: { access_token: support.accessToken } });
      assert.equal(renewed.statusCode, 200);
      assert.equal(renewed.json().status, 'active');
      t.ctx.whatsapp.sender.wake();
      await messageInStatus(t.ctx.db, refused.id, 'sent');
    } finally {
      cloud.script(undefined);
    }
  });

  it('sends a campaign from the channel it names, the first channel by default', async () => {
    const contactId = await writesToSupport();
    const tag = `campaign-${Date.now()}`;
    await t.ctx.db.updateTable('contacts').set({ tags: [tag] }).where('id', '=', contactId).execute();
    const create = (extra: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(admin), payload: { name: 'Spring', template: { name: 'spring_sale', language: 'en_US' }, audience: { tags: [tag] }, ...extra } });
    const onSupport = await create({ channel_id: supportId });
    assert.equal(onSupport.statusCode, 201, onSupport.payload);
    assert.equal(onSupport.json().channel_id, supportId);
    const [send] = await cloud.waitForSends(1, 10_000, (request) => (request.body?.['template'] as { name?: string } | undefined)?.name === 'spring_sale');
    assert.equal(send?.path, `/v25.0/${support.phoneNumberId}/messages`);
    const messages = await t.ctx.db.selectFrom('messages').select('channel_id').where('campaign_id', '=', onSupport.json().id).execute();
    assert.deepEqual(messages.map((row) => row.channel_id), [supportId]);
    const byDefault = await create({});
    assert.equal(byDefault.json().channel_id, ENV_CHANNEL_ID);
    const unknown = await create({ channel_id: '00000000-0000-4000-8000-0000000000aa' });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'unknown_channel');
  });

  it('deletes a channel: sending stops, its queue is canceled, its history stays, and it leaves the lists', async () => {
    const contactId = await writesToSupport();
    await t.ctx.db.updateTable('whatsapp_sender_state').set({ paused_at: new Date(), pause_reason: 'held for the test' }).where('channel_id', '=', supportId).execute();
    const queued = await queueMessages(t.ctx.db, Array.from({ length: 3 }, () => ({ contact_id: contactId, channel_id: supportId, type: 'template', content: null, template: { name: 'queued', language: 'en_US' } })));
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/channels/${supportId}`, headers: bearer(admin) });
    assert.equal(deleted.statusCode, 200);
    assert.equal(deleted.json().status, 'paused');
    for (const message of queued) assert.equal((await t.ctx.db.selectFrom('messages').select('status').where('id', '=', message.id).executeTakeFirstOrThrow()).status, 'canceled');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/channels/${supportId}`, headers: bearer(admin) })).statusCode, 404);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(admin) })).json().items.map((item: { id: string }) => item.id);
    assert.deepEqual(listed, [ENV_CHANNEL_ID]);
    const history = await t.ctx.db.selectFrom('messages').select('channel_id').where('contact_id', '=', contactId).where('direction', '=', 'inbound').execute();
    assert.ok(history.length > 0 && history.every((row) => row.channel_id === supportId), 'its messages keep naming it');
    assert.equal(cloud.sends().filter((request) => (request.body?.['template'] as { name?: string } | undefined)?.name === 'queued').length, 0);
    // Its conversation's replies now go out on the default channel.
    const template = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(admin), payload: { type: 'template', template: { name: 'after_delete', language: 'en_US' } } });
    assert.equal(template.json().channel_id, ENV_CHANNEL_ID);
  });
});
