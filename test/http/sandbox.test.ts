import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { startCloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { messageInStatus } from '../support/whatsapp.js';

forEachEngine('sandbox channel', (suite) => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp(suite.database, { FLOWCHAT_SANDBOX_STATUS_STEP_MS: '60', WHATSAPP_RATE_LIMIT: '200' }, true);
  });
  after(async () => {
    await t.close();
  });

  it('says it is the sandbox in the settings', async () => {
    const { token } = await signedInUser(t.ctx, 'agent');
    const settings = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(token) });
    assert.equal(settings.statusCode, 200);
    assert.equal(settings.json().channel, 'sandbox');
    assert.equal(settings.json().rate_limit, 200);
    assert.deepEqual(settings.json().opt_out_keywords, ['STOP', 'UNSUBSCRIBE', 'PARAR', 'CANCELAR']);
    assert.equal(settings.json().sender.state, 'running');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings' })).statusCode, 401);
  });

  it('lets an admin simulate a customer, then an agent’s reply ticks sent, delivered, read through the webhook path', async () => {
    const admin = await signedInUser(t.ctx, 'admin');
    const agent = await signedInUser(t.ctx, 'agent');
    const phone = uniquePhone();
    const forbidden = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(agent.token), payload: { phone, name: 'Rita', text: 'Hi' } });
    assert.equal(forbidden.statusCode, 403);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(admin.token), payload: { phone: '12', text: 'Hi' } });
    assert.equal(invalid.statusCode, 400);
    const inbound = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(admin.token), payload: { phone, name: 'Rita', text: 'Is my order shipped?' } });
    assert.equal(inbound.statusCode, 201);
    const { contact, message } = inbound.json();
    assert.equal(contact.phone, phone);
    assert.equal(contact.name, 'Rita');
    assert.equal(contact.window_open, true);
    assert.equal(message.direction, 'inbound');
    assert.equal(message.content, 'Is my order shipped?');
    assert.match(message.external_id, /^wamid\./);

    const reply = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(agent.token), payload: { type: 'text', content: 'Yes, today!' } });
    assert.equal(reply.statusCode, 202);
    const id = reply.json().id as string;
    const sent = await messageInStatus(t.ctx.db, id, 'sent');
    assert.match(sent.external_id ?? '', /^wamid\.SANDBOX/);
    const read = await messageInStatus(t.ctx.db, id, 'read');
    assert.ok(read.delivered_at && read.read_at);
    const history = await t.ctx.db.selectFrom('message_status_events').select('status').where('message_id', '=', id).execute();
    assert.deepEqual(history.map((row) => row.status).sort(), ['delivered', 'read', 'sent']);
    const stored = await t.ctx.db.selectFrom('whatsapp_webhook_events').select('source').where('source', '=', 'sandbox').execute();
    assert.ok(stored.length >= 4, 'the customer message and the statuses went through the webhook inbox');
  });
});

forEachEngine('sandbox routes with a Cloud API token', (suite) => {
  it('are not there, and the settings say cloud_api', async () => {
    const cloud = await startCloudApiStandIn();
    const t = await startTestApp(suite.database, cloud.env());
    try {
      const { token } = await signedInUser(t.ctx, 'admin');
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(token), payload: { phone: uniquePhone(), text: 'Hi' } });
      assert.equal(response.statusCode, 404);
      const settings = (await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(token) })).json();
      assert.equal(settings.channel, 'cloud_api');
      assert.equal(settings.phone_number_id, cloud.phoneNumberId);
      assert.doesNotMatch(JSON.stringify(settings), new RegExp(`${cloud.accessToken}|${cloud.appSecret}`));
    } finally {
      await t.close();
      await cloud.close();
    }
  });
});
