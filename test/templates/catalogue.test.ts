import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { STAND_IN_WABA_ID } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp, suiteAppWithCloudApi } from '../support/suite-app.js';
import { createContact, eventually, postWebhook, webhooksProcessed } from '../support/whatsapp.js';

const orderShipped = {
  id: '1001',
  name: 'order_shipped',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, order {{2}} ships {{3}}.' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track' }, { type: 'URL', text: 'Open', url: 'https://shop.example.com/o/{{1}}' }] },
  ],
};
const reminder = {
  id: '1002',
  name: 'appointment_reminder',
  language: 'pt_BR',
  status: 'APPROVED',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Olá {{first_name}}, consulta em {{appointment_time}}.' }],
};
const pending = { id: '1003', name: 'spring_sale', language: 'en_US', status: 'PENDING', category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale!' }] };
const hello = { id: '1004', name: 'hello_world', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there' }] };

const text = (value: string) => ({ type: 'text', text: value });

function statusWebhook(event: string, template: { id: string; name: string; language: string }): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: STAND_IN_WABA_ID, time: 1795525200, changes: [{ field: 'message_template_status_update', value: { event, message_template_id: Number(template.id), message_template_name: template.name, message_template_language: template.language, reason: event === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE' } }] }],
  });
}

forEachEngine('template catalogue', (suite) => {
  // Workers off: the catalogue syncs when asked, and nothing is sent unless a test drains.
  const t = suiteAppWithCloudApi(suite, { WHATSAPP_BUSINESS_ACCOUNT_ID: STAND_IN_WABA_ID }, false);
  let admin: string;
  let agent: string;

  before(async () => {
    t.cloud.setTemplates([orderShipped, reminder, pending, hello], 2);
    admin = (await signedInUser(t.ctx, 'admin')).token;
    agent = (await signedInUser(t.ctx, 'agent')).token;
  });

  const sync = (token = admin) => t.app.inject({ method: 'POST', url: '/api/v1/templates/sync', headers: bearer(token) });
  const list = (query = '') => t.app.inject({ method: 'GET', url: `/api/v1/templates${query}`, headers: bearer(agent) });
  const send = (contactId: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(agent), payload: payload as object });
  const messageCount = async () => Number((await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('syncs every page of message_templates with the bearer token and derives what a send must fill', async () => {
    assert.equal((await sync(agent)).statusCode, 403);
    const first = await sync();
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { added: 4, updated: 0, removed: 0 });
    const listings = t.cloud.templateListings();
    assert.equal(listings.length, 2, 'two pages of two');
    for (const listing of listings) assert.equal(listing.headers.authorization, `Bearer ${t.cloud.accessToken}`);
    const items = (await list()).json().items as Array<Record<string, unknown>>;
    assert.deepEqual(items.map((item) => `${item['name']}:${item['language']}:${item['status']}`), ['appointment_reminder:pt_BR:APPROVED', 'hello_world:en_US:APPROVED', 'order_shipped:en_US:APPROVED', 'spring_sale:en_US:PENDING']);
    const shipped = items.find((item) => item['name'] === 'order_shipped');
    assert.deepEqual(shipped?.['parameters'], [
      { component: 'header', name: '1', format: 'image' },
      { component: 'body', name: '1' },
      { component: 'body', name: '2' },
      { component: 'body', name: '3' },
      { component: 'button', index: 1, name: '1' },
    ]);
    assert.deepEqual(items.find((item) => item['name'] === 'appointment_reminder')?.['parameters'], [
      { component: 'body', name: 'first_name' },
      { component: 'body', name: 'appointment_time' },
    ]);
    assert.deepEqual((await list('?status=PENDING')).json().items.map((item: { name: string }) => item.name), ['spring_sale']);
    assert.deepEqual((await list('?q=appoint&language=pt_BR')).json().items.map((item: { name: string }) => item.name), ['appointment_reminder']);
    assert.deepEqual((await sync()).json(), { added: 0, updated: 0, removed: 0 }, 'a second sync changes nothing');
  });

  it('keeps a template Meta no longer lists as DELETED and counts what changed', async () => {
    t.cloud.setTemplates([orderShipped, reminder, { ...pending, status: 'REJECTED', rejected_reason: 'INVALID_FORMAT' }], 2);
    assert.deepEqual((await sync()).json(), { added: 0, updated: 1, removed: 1 });
    const items = (await list()).json().items as Array<Record<string, unknown>>;
    assert.equal(items.find((item) => item['name'] === 'hello_world')?.['status'], 'DELETED');
    const rejected = items.find((item) => item['name'] === 'spring_sale');
    assert.equal(rejected?.['status'], 'REJECTED');
    assert.equal(rejected?.['rejected_reason'], 'INVALID_FORMAT');
    const events = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'template.updated').execute();
    assert.ok(events.some((event) => (event.data as { name?: string }).name === 'hello_world'));
  });

  it('refuses template sends the catalogue does not allow, naming the value, and stores nothing', async () => {
    const contact = await createContact(t.ctx.db);
    const before = await messageCount();
    const unknown = await send(contact.id, { type: 'template', template: { name: 'no_such_template', language: 'en_US' } });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'template_not_found');
    assert.equal((await send(contact.id, { type: 'template', template: { name: 'order_shipped', language: 'pt_BR' } })).json().error.code, 'template_not_found', 'another language');
    assert.equal((await send(contact.id, { type: 'template', template: { name: 'hello_world', language: 'en_US' } })).json().error.code, 'template_not_found', 'deleted');
    const notApproved = await send(contact.id, { type: 'template', template: { name: 'spring_sale', language: 'en_US' } });
    assert.equal(notApproved.statusCode, 422);
    assert.equal(notApproved.json().error.code, 'template_not_approved');

    const missing = await send(contact.id, {
      type: 'template',
      template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.jpg' } }] }, { type: 'body', parameters: [text('Dana'), text('A1')] }] },
    });
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().error.code, 'template_parameters');
    assert.deepEqual(missing.json().error.details, [
      { field: 'body.3', message: 'missing' },
      { field: 'button.1', message: 'missing' },
    ]);
    const misnamed = await send(contact.id, {
      type: 'template',
      template: { name: 'appointment_reminder', language: 'pt_BR', components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'João' }, { type: 'text', parameter_name: 'time', text: '14:30' }] }] },
    });
    assert.deepEqual(misnamed.json().error.details, [
      { field: 'body.time', message: 'not a parameter of this template' },
      { field: 'body.appointment_time', message: 'missing' },
    ]);
    const wrongHeader = await send(contact.id, {
      type: 'template',
      template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'header', parameters: [text('oops')] }, { type: 'body', parameters: [text('a'), text('b'), text('c')] }, { type: 'button', sub_type: 'url', index: '1', parameters: [text('A1')] }] },
    });
    assert.deepEqual(wrongHeader.json().error.details, [{ field: 'header.1', message: 'must be an image' }]);
    const unknownMedia = await send(contact.id, {
      type: 'template',
      template: { name: 'order_shipped', language: 'en_US', components: [{ type: 'header', parameters: [{ type: 'image', image: { media_id: '9b1f3c1e-0000-4000-8000-000000000000' } }] }, { type: 'body', parameters: [text('a'), text('b'), text('c')] }, { type: 'button', sub_type: 'url', index: '1', parameters: [text('A1')] }] },
    });
    assert.equal(unknownMedia.json().error.code, 'template_parameters');
    assert.match(unknownMedia.json().error.details[0].message, /^media_not_found/);
    assert.equal(await messageCount(), before, 'nothing stored');

    const bulk = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/bulk',
      headers: bearer(agent),
      payload: { messages: [{ contact_id: contact.id, type: 'template', template: { name: 'appointment_reminder', language: 'pt_BR', components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'A' }, { type: 'text', parameter_name: 'appointment_time', text: 'B' }] }] } }, { contact_id: contact.id, type: 'template', template: { name: 'spring_sale', language: 'en_US' } }] },
    });
    assert.equal(bulk.statusCode, 422);
    assert.equal(bulk.json().error.code, 'template_not_approved');
    assert.equal(bulk.json().error.details.item, 1);
    assert.equal(await messageCount(), before, 'bulk is all or nothing');

    const campaign = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(agent), payload: { name: 'Spring', template: { name: 'spring_sale', language: 'en_US' }, audience: { tags: [] } } });
    assert.equal(campaign.statusCode, 422);
    assert.equal(campaign.json().error.code, 'template_not_approved');
  });

  it('stores a fitting template send with its body as the customer reads it', async () => {
    const contact = await createContact(t.ctx.db);
    const sent = await send(contact.id, {
      type: 'template',
      template: {
        name: 'order_shipped',
        language: 'en_US',
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.example/a.jpg' } }] },
          { type: 'body', parameters: [text('Dana'), text('A12345'), { type: 'date_time', date_time: { fallback_value: 'Friday' } }] },
          { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'TRACK' }] },
          { type: 'button', sub_type: 'url', index: 1, parameters: [text('A12345')] },
        ],
      },
    });
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(sent.json().content, 'Hi Dana, order A12345 ships Friday.');
    const named = await send(contact.id, {
      type: 'template',
      template: { name: 'appointment_reminder', language: 'pt_BR', components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'appointment_time', text: '26/11 14:30' }, { type: 'text', parameter_name: 'first_name', text: 'João' }] }] },
    });
    assert.equal(named.json().content, 'Olá João, consulta em 26/11 14:30.');
  });

  it('renders each campaign recipient’s body with their own values', async () => {
    const tag = `rollout-${Date.now()}`;
    const dana = await createContact(t.ctx.db, { name: 'Dana' });
    await t.ctx.db.updateTable('contacts').set({ tags: [tag] }).where('id', '=', dana.id).execute();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: bearer(agent),
      payload: { name: 'Reminders', template: { name: 'appointment_reminder', language: 'pt_BR', components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: '{{name}}' }, { type: 'text', parameter_name: 'appointment_time', text: 'amanhã' }] }] }, audience: { tags: [tag] } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const message = await t.ctx.db.selectFrom('messages').select('content').where('campaign_id', '=', created.json().id).executeTakeFirstOrThrow();
    assert.equal(message.content, 'Olá Dana, consulta em amanhã.');
  });

  it('applies a status webhook at once and pauses the campaigns using a paused template, keeping their messages', async () => {
    const tag = `paused-${Date.now()}`;
    for (let i = 0; i < 3; i += 1) {
      const contact = await createContact(t.ctx.db);
      await t.ctx.db.updateTable('contacts').set({ tags: [tag] }).where('id', '=', contact.id).execute();
    }
    const components = [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'x' }, { type: 'text', parameter_name: 'appointment_time', text: 'y' }] }];
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(agent), payload: { name: 'Paused', template: { name: 'appointment_reminder', language: 'pt_BR', components }, audience: { tags: [tag] } } });
    assert.equal(created.json().status, 'running');
    const posted = await postWebhook(t.app, statusWebhook('PAUSED', reminder), t.cloud.appSecret);
    assert.equal(posted.statusCode, 200);
    await t.ctx.whatsapp.processor.drain();
    const template = (await list('?q=appointment')).json().items[0];
    assert.equal(template.status, 'PAUSED');
    const campaign = (await t.app.inject({ method: 'GET', url: `/api/v1/campaigns/${created.json().id}`, headers: bearer(agent) })).json();
    assert.equal(campaign.status, 'paused');
    assert.equal(campaign.paused_reason, 'template_paused');
    assert.equal(campaign.counts.pending, 3, 'queued messages kept');
    const [event] = await t.ctx.db.selectFrom('events').select('data').where('type', '=', 'template.updated').orderBy('id', 'desc').limit(1).execute();
    assert.deepEqual([(event?.data as { name?: string }).name, (event?.data as { status?: string }).status], ['appointment_reminder', 'PAUSED']);
    const refused = await send((await createContact(t.ctx.db)).id, { type: 'template', template: { name: 'appointment_reminder', language: 'pt_BR', components } });
    assert.equal(refused.json().error.code, 'template_not_approved');

    await postWebhook(t.app, statusWebhook('FLAGGED', reminder), t.cloud.appSecret);
    await t.ctx.whatsapp.processor.drain();
    assert.equal((await list('?q=appointment')).json().items[0].status, 'PAUSED', 'a warning changes nothing');
    await postWebhook(t.app, statusWebhook('REINSTATED', reminder), t.cloud.appSecret);
    await t.ctx.whatsapp.processor.drain();
    assert.equal((await list('?q=appointment')).json().items[0].status, 'APPROVED', 'reinstated is approved again');
    const resumed = await t.app.inject({ method: 'POST', url: `/api/v1/campaigns/${created.json().id}/resume`, headers: bearer(agent) });
    assert.equal(resumed.json().status, 'running');
    assert.equal(resumed.json().paused_reason, null);
    // Posting the same webhook twice changes nothing the second time.
    await postWebhook(t.app, statusWebhook('APPROVED', reminder), t.cloud.appSecret);
    await webhooksProcessed(t.ctx.db).catch(() => t.ctx.whatsapp.processor.drain());
    await t.ctx.whatsapp.processor.drain();
    assert.equal((await list('?q=appointment')).json().items[0].status, 'APPROVED');
  });

  it('pauses a campaign whose send fails with 132015 (template paused)', async () => {
    const tag = `send-paused-${Date.now()}`;
    for (let i = 0; i < 2; i += 1) {
      const contact = await createContact(t.ctx.db);
      await t.ctx.db.updateTable('contacts').set({ tags: [tag] }).where('id', '=', contact.id).execute();
    }
    await t.ctx.db.updateTable('message_templates').set({ status: 'APPROVED' }).where('name', '=', 'hello_world').execute();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(agent), payload: { name: 'Hello', template: { name: 'hello_world', language: 'en_US' }, audience: { tags: [tag] } } });
    assert.equal(created.statusCode, 201, created.body);
    t.cloud.script((request) => ((request.body?.['template'] as { name?: string } | undefined)?.name === 'hello_world' ? { kind: 'error', code: 132015 } : undefined));
    t.ctx.whatsapp.sender.start();
    try {
      const campaign = await eventually(async () => {
        const current = (await t.app.inject({ method: 'GET', url: `/api/v1/campaigns/${created.json().id}`, headers: bearer(agent) })).json();
        return current.status === 'paused' ? current : undefined;
      }, 10_000, 'the campaign to pause');
      assert.equal(campaign.paused_reason, 'template_paused');
      assert.ok(campaign.counts.failed >= 1);
      const failed = await t.ctx.db.selectFrom('messages').select('error_code').where('campaign_id', '=', created.json().id).where('status', '=', 'failed').executeTakeFirstOrThrow();
      assert.equal(failed.error_code, '132015');
    } finally {
      t.cloud.script(undefined);
      await t.ctx.whatsapp.sender.stop();
    }
  });
});

forEachEngine('template catalogue without a WABA id', (suite) => {
  const t = suiteApp(suite);

  it('keeps the sandbox’s approved demo templates, and lets sends pass as before', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    const synced = await t.app.inject({ method: 'POST', url: '/api/v1/templates/sync', headers: bearer(token) });
    assert.equal(synced.statusCode, 200);
    assert.ok(synced.json().added >= 3);
    const items = (await t.app.inject({ method: 'GET', url: '/api/v1/templates?status=APPROVED', headers: bearer(token) })).json().items as Array<{ name: string }>;
    assert.ok(items.some((item) => item.name === 'order_shipped'));
    const contact = await createContact(t.ctx.db);
    const free = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(token), payload: { type: 'template', template: { name: 'anything_goes', language: 'en_US' } } });
    assert.equal(free.statusCode, 202);
    const demo = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(token), payload: { type: 'template', template: { name: 'welcome_offer', language: 'en_US', components: [{ type: 'header', parameters: [text('Dana')] }, { type: 'body', parameters: [text('Dana'), text('10%')] }] } } });
    assert.equal(demo.json().content, 'Thanks for joining, Dana! Use the code below for 10% off your first order.');
  });
});
