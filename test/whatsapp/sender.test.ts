import assert from 'node:assert/strict';
import { after, afterEach, before, it } from 'node:test';
import { startTestApp, signedInUser, bearer, type TestApp } from '../support/app.js';
import { fixtureJson, startCloudApiStandIn, statusWebhookBody, type CloudApiStandIn, type RecordedRequest } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { validateSendRequest } from '../support/meta-schema.js';
import { createContact, eventually, messageById, messageInStatus, postWebhook, queueMessages } from '../support/whatsapp.js';

const sendsOf = (cloud: CloudApiStandIn, messageId: string): RecordedRequest[] =>
  cloud.sends().filter((request) => request.body?.['biz_opaque_callback_data'] === messageId);

forEachEngine('WhatsApp sender', (suite) => {
  let cloud: CloudApiStandIn;
  const apps: TestApp[] = [];

  async function app(env: Record<string, string> = {}, workers = true): Promise<TestApp> {
    const started = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_RATE_LIMIT: '1000', ...env }, workers);
    apps.push(started);
    return started;
  }

  before(async () => {
    cloud = await startCloudApiStandIn();
  });
  afterEach(async () => {
    while (apps.length > 0) await apps.pop()?.close();
    cloud.reset();
    cloud.script(undefined);
    await suite.database.db.updateTable('whatsapp_sender_state').set({ paused_at: null, pause_code: null, pause_reason: null }).execute();
  });
  after(async () => {
    await cloud.close();
  });

  it('sends text and templates in Meta’s wire format, stores the wamid and marks them sent', async () => {
    const { app: http, ctx } = await app();
    const { token } = await signedInUser(ctx);
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    const text = await http.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(token), payload: { type: 'text', content: 'Your order ships Friday.' } });
    assert.equal(text.statusCode, 202);
    const template = await http.inject({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/messages`,
      headers: bearer(token),
      payload: { type: 'template', template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Dana' }] }, { type: 'button', sub_type: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'TRACK' }] }] } },
    });
    assert.equal(template.statusCode, 202);
    const sends = await cloud.waitForSends(2);
    for (const send of sends) {
      assert.deepEqual(validateSendRequest(send.body).errors, [], 'valid against Meta’s schema');
      assert.equal(send.path, `/v25.0/${cloud.phoneNumberId}/messages`);
      assert.equal(send.headers.authorization, `Bearer ${cloud.accessToken}`);
      assert.equal(send.body?.['to'], contact.phone);
      assert.equal(send.body?.['recipient_type'], 'individual');
    }
    const [textSend] = sendsOf(cloud, text.json().id);
    assert.deepEqual(textSend?.body?.['text'], { preview_url: false, body: 'Your order ships Friday.' });
    const [templateSend] = sendsOf(cloud, template.json().id);
    assert.deepEqual(templateSend?.body?.['template'], {
      name: 'order_shipped',
      language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Dana' }] }, { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'TRACK' }] }],
    });
    for (const [id, send] of [[text.json().id, textSend], [template.json().id, templateSend]] as const) {
      const sent = await messageInStatus(ctx.db, id, 'sent');
      assert.equal(sent.external_id, send?.wamid);
      assert.ok(sent.sent_at);
      assert.equal(sent.sending_at, null);
    }
    const updated = await ctx.db.selectFrom('events').select('data').where('type', '=', 'message.updated').execute();
    assert.ok(updated.some((event) => (event.data as { id?: string; status?: string }).id === text.json().id && (event.data as { status?: string }).status === 'sent'));
    const stored = await ctx.db.selectFrom('contacts').select('wa_id').where('id', '=', contact.id).executeTakeFirstOrThrow();
    assert.equal(stored.wa_id, contact.phone?.slice(1), 'the wa_id WhatsApp answered with is kept');
  });

  it('retries 130429 and a bare 5xx with backoff, then sends once accepted', async () => {
    const { ctx } = await app();
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    cloud.answerNext({ kind: 'error', code: 130429 }, { kind: 'http', status: 503, body: '<html>unavailable</html>' });
    const [first, second] = await queueMessages(ctx.db, [{ contact_id: contact.id }, { contact_id: contact.id }]);
    ctx.whatsapp.sender.wake();
    for (const message of [first, second]) {
      const sent = await messageInStatus(ctx.db, message?.id ?? '', 'sent', 15_000);
      assert.equal(sendsOf(cloud, sent.id).length, 2, 'one refused attempt, one accepted');
      assert.equal(sent.send_attempts, 2);
      assert.equal(sent.send_error, null);
    }
  });

  it('fails the message with the code and Meta’s text for 131026, 131047, 132001 and 100, without retrying', async () => {
    const { ctx } = await app();
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    const codes = [131026, 131047, 132001, 100];
    const messages = await queueMessages(ctx.db, codes.map(() => ({ contact_id: contact.id })));
    cloud.script((request) => {
      const index = messages.findIndex((message) => message.id === request.body?.['biz_opaque_callback_data']);
      return index >= 0 ? { kind: 'error', code: codes[index] ?? 100 } : undefined;
    });
    ctx.whatsapp.sender.wake();
    for (const [index, message] of messages.entries()) {
      const failed = await messageInStatus(ctx.db, message.id, 'failed');
      assert.equal(failed.error_code, String(codes[index]));
      assert.equal(sendsOf(cloud, message.id).length, 1);
    }
    const undeliverable = await messageById(ctx.db, messages[0]?.id ?? '');
    assert.equal(undeliverable.error_message, fixtureJson<{ error: { error_data: { details: string } } }>('error-131026-response.json').error.error_data.details);
    assert.equal(undeliverable.error_title, '(#131026) Message undeliverable');
  });

  it('fails 131050 and opts the contact out of marketing', async () => {
    const { ctx } = await app();
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    cloud.answerNext({ kind: 'error', code: 131050 });
    const [message] = await queueMessages(ctx.db, [{ contact_id: contact.id, type: 'template', content: null, template: JSON.stringify({ name: 'promo', language: 'en_US' }) }]);
    ctx.whatsapp.sender.wake();
    const failed = await messageInStatus(ctx.db, message?.id ?? '', 'failed');
    assert.equal(failed.error_code, '131050');
    const optedOut = await ctx.db.selectFrom('contacts').selectAll().where('id', '=', contact.id).executeTakeFirstOrThrow();
    assert.ok(optedOut.opted_out_at);
    assert.equal(optedOut.opted_out_source, 'whatsapp');
  });

  it('retries a 131056 (pair rate limit) for that recipient only, a second later', async () => {
    const { ctx } = await app();
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    const other = await createContact(ctx.db, { inboundHoursAgo: 1 });
    cloud.answerNext({ kind: 'error', code: 131056 });
    const [limited] = await queueMessages(ctx.db, [{ contact_id: contact.id }]);
    ctx.whatsapp.sender.wake();
    const waiting = await eventually(async () => {
      const row = await messageById(ctx.db, limited?.id ?? '');
      return row.not_before ? row : undefined;
    });
    assert.equal(sendsOf(cloud, limited?.id ?? '').length, 1);
    assert.equal(waiting.status, 'pending');
    assert.ok(waiting.not_before && waiting.not_before.getTime() - (sendsOf(cloud, limited?.id ?? '')[0]?.at ?? 0) > 800, 'waits about 4^0 = 1 s');
    const [unaffected] = await queueMessages(ctx.db, [{ contact_id: other.id }]);
    ctx.whatsapp.sender.wake();
    await messageInStatus(ctx.db, unaffected?.id ?? '', 'sent');
    assert.equal((await messageById(ctx.db, limited?.id ?? '')).status, 'pending', 'another recipient goes ahead meanwhile');
    await messageInStatus(ctx.db, limited?.id ?? '', 'sent', 5_000);
    const [firstTry, secondTry] = sendsOf(cloud, limited?.id ?? '');
    assert.ok((secondTry?.at ?? 0) - (firstTry?.at ?? 0) >= 700);
  });

  it('pauses on 190: messages stay pending, /healthz and settings say why, resuming sends them', async () => {
    const { app: http, ctx } = await app();
    const { token } = await signedInUser(ctx, 'admin');
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    let tokenExpired = true;
    cloud.script(() => (tokenExpired ? { kind: 'error', code: 190, status: 401 } : undefined));
    const messages = await queueMessages(ctx.db, [{ contact_id: contact.id }, { contact_id: contact.id }, { contact_id: contact.id }]);
    ctx.whatsapp.sender.wake();
    const health = await eventually(async () => {
      const response = await http.inject({ method: 'GET', url: '/healthz' });
      return response.json().status === 'degraded' ? response : undefined;
    });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().sender.state, 'paused');
    assert.equal(health.json().sender.code, '190');
    assert.match(health.json().sender.reason, /access token/);
    assert.doesNotMatch(health.payload, new RegExp(cloud.accessToken), 'the token itself is never shown');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const sendsWhilePaused = cloud.sends().length;
    for (const message of messages) {
      const row = await messageById(ctx.db, message.id);
      assert.equal(row.status, 'pending');
      assert.equal(row.sending_at, null);
    }
    assert.equal(cloud.sends().length, sendsWhilePaused, 'nothing more is sent while paused');
    const settings = await http.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(token) });
    assert.equal(settings.json().sender.state, 'paused');
    tokenExpired = false;
    const resumed = await http.inject({ method: 'POST', url: '/api/v1/settings/sender/resume', headers: bearer(token) });
    assert.equal(resumed.json().state, 'running');
    for (const message of messages) await messageInStatus(ctx.db, message.id, 'sent');
    assert.deepEqual((await http.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
  });

  it('never resends an unknown outcome: a status webhook settles it, else it fails after the grace period', async () => {
    const { app: http, ctx } = await app({ WHATSAPP_REQUEST_TIMEOUT_MS: '300', FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS: '2' });
    const contact = await createContact(ctx.db, { inboundHoursAgo: 1 });
    const [settled, lost] = await queueMessages(ctx.db, [{ contact_id: contact.id }, { contact_id: contact.id }]);
    cloud.script((request) => {
      const id = request.body?.['biz_opaque_callback_data'];
      return id === settled?.id ? { kind: 'hang' } : id === lost?.id ? { kind: 'drop' } : undefined;
    });
    ctx.whatsapp.sender.wake();
    await eventually(async () => (await messageById(ctx.db, settled?.id ?? '')).send_error?.startsWith('outcome unknown') === true);
    await eventually(async () => (await messageById(ctx.db, lost?.id ?? '')).send_error?.startsWith('outcome unknown') === true);
    const wamid = 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBJVTktOT1dOT1VUQ09NRQA=';
    const webhook = await postWebhook(http, statusWebhookBody({ wamid, status: 'sent', flowchatId: settled?.id ?? '' }), cloud.appSecret);
    assert.equal(webhook.statusCode, 200);
    const byWebhook = await messageInStatus(ctx.db, settled?.id ?? '', 'sent');
    assert.equal(byWebhook.external_id, wamid, 'matched by biz_opaque_callback_data, wamid attached');
    const failed = await messageInStatus(ctx.db, lost?.id ?? '', 'failed', 8_000);
    assert.equal(failed.error_code, 'unknown_outcome');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sendsOf(cloud, settled?.id ?? '').length, 1, 'sent once');
    assert.equal(sendsOf(cloud, lost?.id ?? '').length, 1, 'sent once');
  });

  it('sends conversation replies before queued campaign messages, and skips held and not-yet-due ones', async () => {
    const { ctx } = await app({ WHATSAPP_RATE_LIMIT: '50' }, false);
    const contacts = await Promise.all(Array.from({ length: 4 }, () => createContact(ctx.db, { inboundHoursAgo: 1 })));
    const campaign = await ctx.db
      .insertInto('campaigns')
      .values({ name: 'Spring', status: 'running', template: JSON.stringify({ name: 'promo', language: 'en_US' }), audience: JSON.stringify({ tags: [] }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const template = JSON.stringify({ name: 'promo', language: 'en_US' });
    const queued = await queueMessages(ctx.db, contacts.slice(0, 3).map((contact) => ({ contact_id: contact.id, campaign_id: campaign.id, type: 'template', content: null, template })));
    const [held] = await queueMessages(ctx.db, [{ contact_id: contacts[3]?.id ?? '', hold_reason: 'campaign_paused' }]);
    const [later] = await queueMessages(ctx.db, [{ contact_id: contacts[3]?.id ?? '', not_before: new Date(Date.now() + 1_500) }]);
    const [reply] = await queueMessages(ctx.db, [{ contact_id: contacts[0]?.id ?? '', content: 'A reply' }]);
    const optedOut = await createContact(ctx.db, { inboundHoursAgo: 1, optedOut: true });
    const [toOptedOut] = await queueMessages(ctx.db, [{ contact_id: optedOut.id }]);
    for (const worker of ctx.workers) worker.start();
    apps.push({ ...apps[apps.length - 1], close: () => Promise.all(ctx.workers.map((worker) => worker.stop())).then(() => undefined) } as TestApp);
    await cloud.waitForSends(4);
    assert.equal(cloud.sends()[0]?.body?.['biz_opaque_callback_data'], reply?.id, 'the reply goes first');
    for (const message of queued) await messageInStatus(ctx.db, message.id, 'sent');
    assert.equal(sendsOf(cloud, later?.id ?? '').length, 0, 'not before its time');
    await messageInStatus(ctx.db, later?.id ?? '', 'sent', 5_000);
    assert.ok((sendsOf(cloud, later?.id ?? '')[0]?.at ?? 0) >= (later?.not_before?.getTime() ?? 0) - 5);
    const stillHeld = await messageById(ctx.db, held?.id ?? '');
    assert.equal(stillHeld.status, 'pending');
    assert.equal(sendsOf(cloud, held?.id ?? '').length, 0);
    const refused = await messageInStatus(ctx.db, toOptedOut?.id ?? '', 'failed');
    assert.equal(refused.error_code, 'opted_out');
    assert.equal(sendsOf(cloud, toOptedOut?.id ?? '').length, 0);
    await ctx.db.updateTable('messages').set({ hold_reason: null }).where('id', '=', held?.id ?? '').execute();
    ctx.whatsapp.sender.wake();
    await messageInStatus(ctx.db, held?.id ?? '', 'sent');
  });

  it('puts claimed but unsent messages back on a graceful stop, and a restart sends them', async () => {
    const first = await app({ WHATSAPP_RATE_LIMIT: '5' });
    const contact = await createContact(first.ctx.db, { inboundHoursAgo: 1 });
    const messages = await queueMessages(first.ctx.db, Array.from({ length: 12 }, () => ({ contact_id: contact.id })));
    first.ctx.whatsapp.sender.wake();
    await cloud.waitForSends(1);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const rows = await Promise.all(messages.map((message) => messageById(first.ctx.db, message.id)));
    assert.ok(rows.every((row) => row.status === 'sent' || (row.status === 'pending' && row.sending_at === null)), 'nothing is left in flight');
    assert.ok(rows.some((row) => row.status === 'pending'));
    await app({ WHATSAPP_RATE_LIMIT: '1000' });
    for (const message of messages) await messageInStatus(first.ctx.db, message.id, 'sent');
    for (const message of messages) assert.equal(sendsOf(cloud, message.id).length, 1);
  });
});
