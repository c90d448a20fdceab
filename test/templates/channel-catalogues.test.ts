import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { ENV_CHANNEL_ID } from '../../src/channels/environment-channel.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { STAND_IN_WABA_ID, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { createContact, eventually, postWebhook } from '../support/whatsapp.js';
import { addChannel, secondNumber } from '../channels/support.js';

const WABA_B = '200000000000777';
const WABA_D = '300000000000003';
const WABA_E = '400000000000005';

const body = (text: string) => [{ type: 'BODY', text }];
const template = (id: string, name: string) => ({ id, name, language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: body(`${name} text`) });

function statusWebhook(businessAccountId: string, event: string, meta: { id: string; name: string }): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: businessAccountId, time: 1795525200, changes: [{ field: 'message_template_status_update', value: { event, message_template_id: Number(meta.id), message_template_name: meta.name, message_template_language: 'en_US', reason: 'NONE' } }] }],
  });
}

forEachEngine('template catalogues per channel', (suite) => {
  let cloud: CloudApiStandIn;
  let t: TestApp;
  let admin: string;
  // Channel B names its own WABA; channel C names none (it reads the environment's); D's token cannot read its WABA.
  const numberB = { ...secondNumber('200000000000002'), businessAccountId: WABA_B };
  const numberC = secondNumber('200000000000003');
  const numberD = secondNumber('200000000000004');
  const numberE = { ...secondNumber('200000000000005'), businessAccountId: WABA_E };
  let channelB: string;
  let channelC: string;

  before(async () => {
    cloud = await startCloudApiStandIn({ otherNumbers: [numberB, numberC, numberD, numberE] });
    cloud.setTemplates([template('101', 'shared_notice'), template('102', 'only_a'), template('103', 'gone_later')], 2);
    cloud.setTemplates([template('201', 'shared_notice'), template('203', 'gone_later')], 1, WABA_B);
    t = await startTestApp(suite.database, { ...cloud.env(), WHATSAPP_BUSINESS_ACCOUNT_ID: STAND_IN_WABA_ID, FLOWCHAT_SECRET_KEY: 'b'.repeat(64) });
    admin = (await signedInUser(t.ctx, 'admin')).token;
    channelB = (await addChannel(t.app, admin, numberB, { name: 'Brand B', business_account_id: WABA_B })).id;
    channelC = (await addChannel(t.app, admin, numberC, { name: 'No WABA' })).id;
  });
  after(async () => {
    await t.close();
    await cloud.close();
  });

  const sync = () => t.app.inject({ method: 'POST', url: '/api/v1/templates/sync', headers: bearer(admin) });
  const list = async (query = '') => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/templates${query}`, headers: bearer(admin) });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json().items as Array<{ name: string; business_account_id: string; status: string }>).map((item) => `${item.business_account_id}:${item.name}:${item.status}`);
  };
  const sendOn = async (channelId: string, name: string) => {
    const contact = await createContact(t.ctx.db);
    return t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(admin), payload: { type: 'template', template: { name, language: 'en_US' }, channel_id: channelId } });
  };

  it('syncs each WABA once, every page, with a token of its own channel, and lists each channel’s catalogue', async () => {
    const synced = await sync();
    assert.equal(synced.statusCode, 200, synced.body);
    assert.deepEqual(synced.json(), { added: 5, updated: 0, removed: 0 });
    const pagesA = cloud.templateListings(STAND_IN_WABA_ID);
    const pagesB = cloud.templateListings(WABA_B);
    assert.equal(pagesA.length, 2, 'three templates, two a page');
    assert.equal(pagesB.length, 2, 'two templates, one a page');
    for (const page of pagesA) assert.equal(page.headers.authorization, `Bearer ${cloud.accessToken}`);
    for (const page of pagesB) assert.equal(page.headers.authorization, `Bearer ${numberB.accessToken}`);
    assert.equal(cloud.templateListings().length, 4, 'channel C, naming no WABA, is not fetched for');

    const channels = (await t.app.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(admin) })).json().items as Array<{ id: string; business_account_id?: string }>;
    assert.equal(channels.find((channel) => channel.id === ENV_CHANNEL_ID)?.business_account_id, STAND_IN_WABA_ID, 'the environment channel shows WHATSAPP_BUSINESS_ACCOUNT_ID');

    const everything = await list();
    assert.equal(everything.length, 5);
    const ofA = [`${STAND_IN_WABA_ID}:gone_later:APPROVED`, `${STAND_IN_WABA_ID}:only_a:APPROVED`, `${STAND_IN_WABA_ID}:shared_notice:APPROVED`];
    assert.deepEqual(await list(`?channel_id=${channelB}`), [`${WABA_B}:gone_later:APPROVED`, `${WABA_B}:shared_notice:APPROVED`]);
    assert.deepEqual(await list(`?channel_id=${ENV_CHANNEL_ID}`), ofA);
    assert.deepEqual(await list(`?channel_id=${channelC}`), ofA, 'a channel naming no WABA reads the environment’s');
    assert.deepEqual(await list(`?channel_id=${channelB}&q=shared`), [`${WABA_B}:shared_notice:APPROVED`]);

    const unknown = await t.app.inject({ method: 'GET', url: `/api/v1/templates?channel_id=${randomUUID()}`, headers: bearer(admin) });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'channel_not_found');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/templates?channel_id=nope', headers: bearer(admin) })).statusCode, 400);
  });

  it('checks a template send against the catalogue of the channel it goes out on', async () => {
    const onB = await sendOn(channelB, 'only_a');
    assert.equal(onB.statusCode, 422);
    assert.equal(onB.json().error.code, 'template_not_found');
    const onA = await sendOn(ENV_CHANNEL_ID, 'only_a');
    assert.equal(onA.statusCode, 202, onA.body);
    assert.equal(onA.json().content, 'only_a text');
    assert.equal((await sendOn(channelC, 'only_a')).statusCode, 202, 'the environment WABA’s catalogue');
    assert.equal((await sendOn(channelB, 'shared_notice')).json().content, 'shared_notice text');

    const contact = await createContact(t.ctx.db);
    const bulk = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/bulk',
      headers: bearer(admin),
      payload: { messages: [0, 1].map((index) => ({ contact_id: contact.id, type: 'template', template: { name: 'only_a', language: 'en_US' }, channel_id: index === 0 ? ENV_CHANNEL_ID : channelB })) },
    });
    assert.equal(bulk.statusCode, 422);
    assert.equal(bulk.json().error.code, 'template_not_found');
    assert.equal(bulk.json().error.details.item, 1);

    const campaign = (channelId: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(admin), payload: { name: 'Only A', template: { name: 'only_a', language: 'en_US' }, audience: { tags: ['nobody-has-this'] }, channel_id: channelId } });
    const refused = await campaign(channelB);
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'template_not_found');
    assert.equal((await campaign(ENV_CHANNEL_ID)).statusCode, 201);
  });

  it('marks a template Meta no longer lists DELETED in its own WABA only', async () => {
    cloud.setTemplates([template('201', 'shared_notice')], 1, WABA_B);
    assert.deepEqual((await sync()).json(), { added: 0, updated: 0, removed: 1 });
    assert.deepEqual(await list('?q=gone'), [`${STAND_IN_WABA_ID}:gone_later:APPROVED`, `${WABA_B}:gone_later:DELETED`]);
    assert.equal((await sendOn(channelB, 'gone_later')).json().error.code, 'template_not_found');
    assert.equal((await sendOn(ENV_CHANNEL_ID, 'gone_later')).statusCode, 202);
  });

  it('applies a status webhook to the template of the WABA the entry names, and pauses only that WABA’s campaigns', async () => {
    const tag = `shared-${Date.now()}`;
    const contact = await createContact(t.ctx.db);
    await t.ctx.db.updateTable('contacts').set({ tags: [tag] }).where('id', '=', contact.id).execute();
    const start = async (channelId: string) => {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: bearer(admin), payload: { name: 'Shared', template: { name: 'shared_notice', language: 'en_US' }, audience: { tags: [tag] }, channel_id: channelId } });
      assert.equal(created.json().status, 'running', created.body);
      return created.json().id as string;
    };
    const onA = await start(ENV_CHANNEL_ID);
    const onB = await start(channelB);

    assert.equal((await postWebhook(t.app, statusWebhook(WABA_B, 'PAUSED', { id: '201', name: 'shared_notice' }), cloud.appSecret)).statusCode, 200);
    await t.ctx.whatsapp.processor.drain();
    assert.deepEqual(await list('?q=shared'), [`${STAND_IN_WABA_ID}:shared_notice:APPROVED`, `${WABA_B}:shared_notice:PAUSED`]);
    const statusOf = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}`, headers: bearer(admin) })).json().status as string;
    assert.equal(await statusOf(onB), 'paused');
    assert.equal(await statusOf(onA), 'running', 'the same-named template of the other WABA still sends');
    assert.equal((await sendOn(ENV_CHANNEL_ID, 'shared_notice')).statusCode, 202);
    assert.equal((await sendOn(channelB, 'shared_notice')).json().error.code, 'template_not_approved');
  });

  it('stores the other WABAs when one cannot be read, and names it in a 502', async () => {
    await addChannel(t.app, admin, numberD, { name: 'Unreadable', business_account_id: WABA_D });
    cloud.setTemplates([template('101', 'shared_notice'), template('102', 'only_a'), template('103', 'gone_later'), template('104', 'fresh_one')], 2);
    const synced = await sync();
    assert.equal(synced.statusCode, 502);
    assert.equal(synced.json().error.code, 'template_sync_failed');
    assert.match(synced.json().error.message, new RegExp(WABA_D));
    assert.ok(!synced.body.includes(numberD.accessToken), 'no token in the answer');
    assert.ok((await list('?q=fresh')).includes(`${STAND_IN_WABA_ID}:fresh_one:APPROVED`), 'the readable WABA was stored');
  });

  it('reads the catalogue of a WABA a channel starts naming at once, not at the next round', async () => {
    const worker = t.ctx.workers.find((candidate) => candidate.name === 'template-sync');
    assert.ok(worker);
    const before = cloud.templateListings(STAND_IN_WABA_ID).length;
    worker.start();
    try {
      await eventually(async () => cloud.templateListings(STAND_IN_WABA_ID).length > before, 15_000, 'the first round at start');
      cloud.setTemplates([template('501', 'brand_e_only')], 100, WABA_E);
      const channelE = (await addChannel(t.app, admin, numberE, { name: 'Brand E', business_account_id: WABA_E })).id;
      // The next round is 15 minutes away: only the new WABA's arrival can have read it.
      await eventually(async () => (await list(`?channel_id=${channelE}`)).includes(`${WABA_E}:brand_e_only:APPROVED`), 10_000, 'the new WABA’s catalogue');
      assert.equal(cloud.templateListings(WABA_E)[0]?.headers.authorization, `Bearer ${numberE.accessToken}`);
    } finally {
      await worker.stop();
    }
  });
});
