import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import type { Contact, Message } from '../../src/db/schema.js';
import { bearer, signedInUser, startTestApp } from '../support/app.js';
import { fixtureBytes, inboundTextWebhookBody, signedHeaders, statusWebhookBody, webhookBody } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteAppWithCloudApi } from '../support/suite-app.js';
import { createContact, eventually, messageById, messageInStatus, messagesWithWamids, postWebhook, queueMessages, webhooksProcessed } from '../support/whatsapp.js';

const danaInboundWamid = 'wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTdGMkM5MUU0QjA1RDZBOEMxMwA=';

forEachEngine('WhatsApp webhooks', (suite) => {
  const t = suiteAppWithCloudApi(suite);

  const stored = async (): Promise<number> =>
    Number((await t.ctx.db.selectFrom('whatsapp_webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const post = (body: Buffer | string) => postWebhook(t.app, body, t.cloud.appSecret);
  const contactByPhone = (phone: string) => t.ctx.db.selectFrom('contacts').selectAll().where('phone', '=', phone).executeTakeFirst();
  const byWamid = (wamid: string) => t.ctx.db.selectFrom('messages').selectAll().where('external_id', '=', wamid).executeTakeFirst();
  const snapshot = async () => ({
    messages: await t.ctx.db.selectFrom('messages').selectAll().orderBy('id').execute(),
    contacts: await t.ctx.db.selectFrom('contacts').selectAll().orderBy('id').execute(),
    statusEvents: Number((await t.ctx.db.selectFrom('message_status_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    events: Number((await t.ctx.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });

  it('answers the subscription handshake with the challenge as plain text, and 403 otherwise', async () => {
    const ok = await t.app.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${t.cloud.verifyToken}` });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.payload, '1158201444');
    assert.match(String(ok.headers['content-type']), /^text\/plain/);
    for (const query of ['hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong', `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${t.cloud.verifyToken}`, 'hub.challenge=1']) {
      const refused = await t.app.inject({ method: 'GET', url: `/webhooks/whatsapp?${query}` });
      assert.equal(refused.statusCode, 403, query);
      assert.equal(refused.json().error.code, 'verify_token_mismatch');
    }
  });

  it('refuses a missing, malformed or forged signature with 401 and stores nothing', async () => {
    const before = await stored();
    const body = fixtureBytes('webhook-inbound-text.json');
    const forged = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' },
      { 'content-type': 'application/json', 'x-hub-signature-256': signedHeaders(body, 'not-the-secret')['x-hub-signature-256'] ?? '' },
      { 'content-type': 'application/json', 'x-hub-signature-256': signedHeaders(Buffer.from(JSON.stringify(JSON.parse(body.toString()))), t.cloud.appSecret)['x-hub-signature-256'] ?? '' },
      { 'content-type': 'application/json', 'x-hub-signature-256': (signedHeaders(body, t.cloud.appSecret)['x-hub-signature-256'] ?? '').replace('sha256=', 'sha1=') },
    ];
    for (const headers of forged) {
      const response = await t.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers, payload: body });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'invalid_signature');
    }
    assert.equal(await stored(), before);
    assert.equal(await byWamid(danaInboundWamid), undefined);
  });

  it('fails closed without an app secret, even for a body signed with an empty key', async () => {
    const unsigned = await startTestApp(suite.database, {});
    try {
      const body = fixtureBytes('webhook-inbound-text.json');
      const response = await unsigned.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: signedHeaders(body, ''), payload: body });
      assert.equal(response.statusCode, 401);
    } finally {
      await unsigned.close();
    }
  });

  it('answers 400 to a signed body that is not JSON, and 200 to any signed JSON, stored', async () => {
    const before = await stored();
    const notJson = await post('{"object": "whatsapp_business_account", ');
    assert.equal(notJson.statusCode, 400);
    assert.equal(await stored(), before);
    const unknown = await post('{"hello":"world"}');
    assert.equal(unknown.statusCode, 200);
    const otherNumber = await post(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '999' }, contacts: [{ wa_id: '15550001111' }], messages: [{ from: '15550001111', id: 'wamid.OTHERNUMBER', timestamp: '1795525200', type: 'text', text: { body: 'hi' } }] } }] }] }));
    assert.equal(otherNumber.statusCode, 200);
    assert.equal(await stored(), before + 2);
    await webhooksProcessed(t.ctx.db);
    assert.equal(await byWamid('wamid.OTHERNUMBER'), undefined, 'a number FlowChat does not serve is acknowledged and skipped');
  });

  it('stores an inbound text: contact from wa_id with profile name and BSUID, message, counters, window; a duplicate changes nothing', async () => {
    const response = await post(fixtureBytes('webhook-inbound-text.json'));
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { received: true });
    const message = await eventually(() => byWamid(danaInboundWamid));
    assert.equal(message.direction, 'inbound');
    assert.equal(message.status, 'received');
    assert.equal(message.type, 'text');
    assert.equal(message.content, 'Hi! Is order A12345 still arriving on Friday? Tracking page: https://flowchat.example/t/A12345');
    const contact = await contactByPhone('+14155550123');
    assert.ok(contact);
    assert.equal(contact.name, 'Dana Whitfield');
    assert.equal(contact.wa_id, '14155550123');
    assert.equal(contact.wa_user_id, 'US.8042719936518842');
    assert.equal(contact.message_count, 1);
    assert.equal(contact.unread_count, 1);
    assert.equal(contact.last_inbound_at?.getTime(), message.created_at.getTime());
    await webhooksProcessed(t.ctx.db);
    const events = await t.ctx.db.selectFrom('events').select(['type', 'data']).execute();
    assert.ok(events.some((event) => event.type === 'message.created' && (event.data as { id: string }).id === message.id));
    assert.ok(events.some((event) => event.type === 'contact.updated' && (event.data as { id: string }).id === contact.id));

    const before = await snapshot();
    assert.equal((await post(fixtureBytes('webhook-inbound-text.json'))).statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    assert.deepEqual(await snapshot(), before);
  });

  it('reads every entry, change, message and status of a batch, whatever the order, and a repeat changes nothing', async () => {
    const [dana, joao, amelia] = [await contactByPhone('+14155550123'), await createContact(t.ctx.db, { phone: '+5511987654321', name: 'João Pereira' }), await createContact(t.ctx.db, { phone: '+447700900456' })];
    assert.ok(dana);
    await queueMessages(t.ctx.db, [
      { id: '5d7e9f1a-3b2c-4e6d-8f0a-b1c2d3e4f5a6', contact_id: dana.id, status: 'sent', external_id: 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI3QjIxRThENDA5NkZDM0E1QjIA', sent_at: new Date(Date.now() - 60_000) },
      { id: 'e9a8b7c6-d5e4-4f3a-9b2c-1d0e9f8a7b6c', contact_id: joao.id, status: 'sent', external_id: null, sent_at: new Date(Date.now() - 60_000) },
      { id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', contact_id: amelia.id, status: 'sent', external_id: 'wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSMzhGNUQxQjdBMkUwNjk0QzFFAA==' },
    ]);
    const statusEventsBefore = (await snapshot()).statusEvents;
    assert.equal((await post(fixtureBytes('webhook-batch-mixed.json'))).statusCode, 200);
    await webhooksProcessed(t.ctx.db);

    const template = await messageById(t.ctx.db, '5d7e9f1a-3b2c-4e6d-8f0a-b1c2d3e4f5a6');
    assert.equal(template.status, 'delivered', 'the later sent status does not move it back');
    const readFirst = await messageById(t.ctx.db, 'e9a8b7c6-d5e4-4f3a-9b2c-1d0e9f8a7b6c');
    assert.equal(readFirst.status, 'read');
    assert.equal(readFirst.external_id, 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkU0QzZBMDM3MUI5RDI1RjhEOQA=', 'matched by biz_opaque_callback_data');
    assert.ok(readFirst.delivered_at && readFirst.read_at, 'read without delivered sets delivered_at too');
    assert.deepEqual((readFirst.metadata['reactions'] as Record<string, { emoji: string }>)[joao.id]?.emoji, '❤️', 'the reaction is state on its target');
    const failed = await messageById(t.ctx.db, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error_code, '131026');
    assert.equal(failed.error_title, 'Message undeliverable');
    assert.equal(failed.error_message, 'Unable to deliver message. The recipient may not be a WhatsApp user or may be using an outdated WhatsApp version.');

    const inbound = await t.ctx.db.selectFrom('messages').selectAll().where('direction', '=', 'inbound').where('contact_id', 'in', [dana.id, joao.id]).execute();
    const texts = inbound.filter((message) => message.external_id === 'wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTkyQzdFMDVGMUI0RDhBNkUyNwA=');
    assert.equal(texts[0]?.content, 'Can I change the delivery address to 200 Main St?');
    const image = inbound.find((message) => message.type === 'image');
    assert.equal(image?.content, '[Image]');
    assert.deepEqual((image?.metadata['media'] as { id: string; mime_type: string }).id, '917450236681942');
    assert.equal((image?.metadata['media'] as { mime_type: string }).mime_type, 'image/jpeg');
    assert.equal(inbound.filter((message) => message.type === 'reaction').length, 0, 'a reaction is no chat message');
    assert.equal((await snapshot()).statusEvents, statusEventsBefore + 4, 'every status event is kept');

    const before = await snapshot();
    assert.equal((await post(fixtureBytes('webhook-batch-mixed.json'))).statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    const again = await snapshot();
    assert.deepEqual(again.messages, before.messages);
    assert.deepEqual(again.contacts, before.contacts);
    assert.equal(again.events, before.events);
  });

  it('moves statuses only forward: a late sent never revives a failed message, a failed never overrides delivered', async () => {
    const [shuffled, failedFirst, deliveredFirst] = await messagesWithWamids(t.ctx.db, { 'wamid.ORDER1': 'sent', 'wamid.ORDER2': 'sent', 'wamid.ORDER3': 'sent' });
    const now = Math.floor(Date.now() / 1000);
    for (const status of ['read', 'sent', 'delivered', 'played']) await post(statusWebhookBody({ wamid: 'wamid.ORDER1', status, timestamp: now }));
    await post(statusWebhookBody({ wamid: 'wamid.ORDER2', status: 'failed', error: { code: 131047, title: 'Re-engagement message' } }));
    await post(statusWebhookBody({ wamid: 'wamid.ORDER2', status: 'sent' }));
    await post(statusWebhookBody({ wamid: 'wamid.ORDER3', status: 'delivered' }));
    await post(statusWebhookBody({ wamid: 'wamid.ORDER3', status: 'failed', error: { code: 131026, title: 'Message undeliverable' } }));
    await webhooksProcessed(t.ctx.db);
    assert.equal((await messageById(t.ctx.db, shuffled?.id ?? '')).status, 'read');
    const stillFailed = await messageById(t.ctx.db, failedFirst?.id ?? '');
    assert.equal(stillFailed.status, 'failed');
    assert.equal(stillFailed.error_code, '131047');
    assert.equal((await messageById(t.ctx.db, deliveredFirst?.id ?? '')).status, 'delivered');
    const history = await t.ctx.db.selectFrom('message_status_events').select('status').where('message_id', '=', shuffled?.id ?? '').execute();
    assert.equal(history.length, 4);
  });

  it('parks a status for a wamid it does not know yet and applies it when the send records that wamid', async () => {
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const wamid = 'wamid.PARKEDBEFORETHESEND';
    assert.equal((await post(statusWebhookBody({ wamid, status: 'delivered' }))).statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    const parked = await t.ctx.db.selectFrom('message_status_events').selectAll().where('external_id', '=', wamid).execute();
    assert.equal(parked.length, 1);
    assert.equal(parked[0]?.message_id, null);
    t.cloud.script((request) => (request.body?.['to'] === contact.phone ? { kind: 'success', wamid } : undefined));
    try {
      const [message] = await queueMessages(t.ctx.db, [{ contact_id: contact.id }]);
      t.ctx.whatsapp.sender.wake();
      const delivered = await messageInStatus(t.ctx.db, message?.id ?? '', 'delivered');
      assert.equal(delivered.external_id, wamid);
      const attached = await t.ctx.db.selectFrom('message_status_events').select('message_id').where('external_id', '=', wamid).executeTakeFirstOrThrow();
      assert.equal(attached.message_id, message?.id);
    } finally {
      t.cloud.script(undefined);
    }
  });

  it('fails on a failed status with errors[0], and 131050 opts the contact out', async () => {
    const [message] = await messagesWithWamids(t.ctx.db, { 'wamid.MARKETINGSTOP': 'sent' });
    await post(statusWebhookBody({ wamid: 'wamid.MARKETINGSTOP', status: 'failed', error: { code: 131050, title: 'Unable to deliver the message', details: 'The user stopped marketing messages' } }));
    const failed = await messageInStatus(t.ctx.db, message?.id ?? '', 'failed');
    assert.equal(failed.error_code, '131050');
    assert.equal(failed.error_message, 'The user stopped marketing messages');
    const optedOut = await eventually(async () => {
      const row = await t.ctx.db.selectFrom('contacts').selectAll().where('id', '=', failed.contact_id).executeTakeFirstOrThrow();
      return row.opted_out_at ? row : undefined;
    });
    assert.equal(optedOut.opted_out_source, 'whatsapp');
  });

  it('opts out on a whole-message keyword in any case, and back in on START; other texts change nothing', async () => {
    const { token } = await signedInUser(t.ctx);
    const phone = uniquePhone();
    const from = phone.slice(1);
    const optedOut = async (): Promise<Contact | undefined> => (await contactByPhone(phone)) ?? undefined;
    await post(inboundTextWebhookBody({ from, text: 'please stop calling me maybe' }));
    await webhooksProcessed(t.ctx.db);
    assert.equal((await optedOut())?.opted_out_at, null);
    await post(inboundTextWebhookBody({ from, text: '  sToP ' }));
    await webhooksProcessed(t.ctx.db);
    const stopped = await optedOut();
    assert.ok(stopped?.opted_out_at);
    assert.equal(stopped?.opted_out_source, 'keyword');
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.opted_out').where('target_id', '=', stopped?.id ?? '').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_type, 'system');
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${stopped?.id}/messages`, headers: bearer(token), payload: { type: 'text', content: 'Still there?' } });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'opted_out');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await post(inboundTextWebhookBody({ from, text: 'START' }));
    await webhooksProcessed(t.ctx.db);
    assert.equal((await optedOut())?.opted_out_at, null);
    for (const word of ['UNSUBSCRIBE', 'parar', 'Cancelar']) {
      const other = uniquePhone();
      await post(inboundTextWebhookBody({ from: other.slice(1), text: word }));
      await webhooksProcessed(t.ctx.db);
      assert.ok((await contactByPhone(other))?.opted_out_at, word);
    }
  });

  it('keeps a username-only user without a phone, and stores every kind of message with readable content', async () => {
    for (const file of ['webhook-inbound-username-only.json', 'webhook-inbound-image.json', 'webhook-inbound-button-reply.json', 'webhook-inbound-template-button.json', 'webhook-inbound-unsupported.json']) {
      assert.equal((await post(fixtureBytes(file))).statusCode, 200, file);
    }
    await post(webhookBody({
      contacts: [{ profile: { name: 'Luz' }, wa_id: '34612340199' }],
      messages: [
        { from: '34612340199', id: 'wamid.LOCATION1', timestamp: '1795525900', type: 'location', location: { latitude: 40.4168, longitude: -3.7038, name: 'Sol', address: 'Puerta del Sol, Madrid' } },
        { from: '34612340199', id: 'wamid.CONTACTS1', timestamp: '1795525901', type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Souza' }, phones: [{ phone: '+5581988880001' }] }] },
        { from: '34612340199', id: 'wamid.LIST1', timestamp: '1795525902', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'express', title: 'Express', description: 'Next day' } } },
        { from: '34612340199', id: 'wamid.VOICE1', timestamp: '1795525903', type: 'audio', audio: { id: '555', mime_type: 'audio/ogg', voice: true } },
        { from: '34612340199', id: 'wamid.NEWKIND1', timestamp: '1795525904', type: 'hologram', hologram: {} },
      ],
    }));
    await webhooksProcessed(t.ctx.db);
    const marina = await t.ctx.db.selectFrom('contacts').selectAll().where('wa_user_id', '=', 'BR.4411902837465521').executeTakeFirstOrThrow();
    assert.equal(marina.phone, null);
    assert.equal(marina.username, 'marina.costa');
    assert.equal(marina.name, 'Marina Costa');
    const content = async (wamid: string): Promise<Pick<Message, 'type' | 'content'> | undefined> => {
      const row = await byWamid(wamid);
      return row ? { type: row.type, content: row.content } : undefined;
    };
    assert.deepEqual(await content('wamid.HBgTQlIuNDQxMTkwMjgzNzQ2NTUyMRUCABIYFDNBNEY2RDhCMEMyRTFBOTU3M0JEAA=='), { type: 'text', content: 'Oi! Vocês entregam em Recife?' });
    assert.deepEqual(await content('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNFQjBDNEYxOUEyRDdFNkI1ODEwAA=='), { type: 'image', content: 'A caixa chegou amassada' });
    assert.deepEqual(await content('wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTFEOEU2RjJCOUMwNEE3RTVGMgA='), { type: 'interactive', content: 'Reschedule' });
    assert.deepEqual(await content('wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTZDMEUyQjhGNEQxOUE3QzNFNQA='), { type: 'button', content: 'Track order' });
    assert.deepEqual(await content('wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0EwRTlCN0M1RDJGNDhBMTZFOTQA'), { type: 'unsupported', content: '[Unsupported message: poll_creation]' });
    assert.deepEqual(await content('wamid.LOCATION1'), { type: 'location', content: '[Location] Sol, Puerta del Sol, Madrid (40.4168, -3.7038)' });
    assert.deepEqual(await content('wamid.CONTACTS1'), { type: 'contacts', content: '[Contact] Ana Souza (+5581988880001)' });
    assert.deepEqual(await content('wamid.LIST1'), { type: 'interactive', content: 'Express' });
    assert.deepEqual(await content('wamid.VOICE1'), { type: 'audio', content: '[Voice message]' });
    assert.deepEqual(await content('wamid.NEWKIND1'), { type: 'unsupported', content: '[Unsupported message: hologram]' });
    const reply = await byWamid('wamid.HBgLMTQxNTU1NTAxMjMVAgASGBQzQTFEOEU2RjJCOUMwNEE3RTVGMgA=');
    assert.deepEqual(reply?.metadata['context'], { message_id: 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBJGMUE3QzNFOTVCMEQyODQ2QjMA', from: '15550783881' });
  });

  it('keeps one reaction per user on its target and removes it when the emoji is gone', async () => {
    const dana = await contactByPhone('+14155550123');
    assert.ok(dana);
    const [target] = await queueMessages(t.ctx.db, [{ contact_id: dana.id, status: 'delivered', external_id: 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI1RTNCOUMwRjcxQTI0RDg2RTEA' }]);
    await post(fixtureBytes('webhook-inbound-reaction.json'));
    await webhooksProcessed(t.ctx.db);
    assert.equal(((await messageById(t.ctx.db, target?.id ?? '')).metadata['reactions'] as Record<string, { emoji: string | null }>)[dana.id]?.emoji, '👍');
    await post(fixtureBytes('webhook-inbound-reaction-removed.json'));
    await webhooksProcessed(t.ctx.db);
    assert.equal(((await messageById(t.ctx.db, target?.id ?? '')).metadata['reactions'] as Record<string, { emoji: string | null }>)[dana.id]?.emoji, null);
  });

  it('retries a failed processing from the stored event, losing nothing', async () => {
    const [message] = await messagesWithWamids(t.ctx.db, { 'wamid.RETRIEDLATER': 'sent' });
    await sql`ALTER TABLE message_status_events RENAME TO message_status_events_away`.execute(t.ctx.db);
    try {
      assert.equal((await post(statusWebhookBody({ wamid: 'wamid.RETRIEDLATER', status: 'delivered' }))).statusCode, 200, 'acknowledged once stored');
      const failing = await eventually(async () => {
        const row = await t.ctx.db.selectFrom('whatsapp_webhook_events').selectAll().where('attempts', '>', 0).where('processed_at', 'is', null).executeTakeFirst();
        return row;
      });
      assert.ok(failing.last_error);
      assert.equal((await messageById(t.ctx.db, message?.id ?? '')).status, 'sent');
    } finally {
      await sql`ALTER TABLE message_status_events_away RENAME TO message_status_events`.execute(t.ctx.db);
    }
    await messageInStatus(t.ctx.db, message?.id ?? '', 'delivered', 10_000);
  });

  it('answers 413 to a body larger than Meta ever sends', async () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20);
    const response = await t.app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: signedHeaders(huge, t.cloud.appSecret), payload: huge });
    assert.equal(response.statusCode, 413);
  });
});
