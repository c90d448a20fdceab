import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { fixtureBytes, fixtureJson } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { deliveryButtons as buttons } from '../support/interactive-fixtures.js';
import { suiteAppWithCloudApi } from '../support/suite-app.js';
import { ReactionRepository } from '../../src/messages/reaction.repository.js';
import { createContact, eventually, postWebhook, queueMessages, webhooksProcessed } from '../support/whatsapp.js';

/** Dana of the fixtures, with an open window. */
const danaPhone = '+14155550123';
const buttonsWamid = 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBJGMUE3QzNFOTVCMEQyODQ2QjMA';
const reactedWamid = 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBI1RTNCOUMwRjcxQTI0RDg2RTEA';
const templateWamid = 'wamid.HBgLMTQxNTU1NTAxMjMVAgARGBIyRDlFNkIxRjA0QTdDNTgzRjAA';

forEachEngine('interactive messages, replies and reactions', (suite) => {
  const t = suiteAppWithCloudApi(suite);
  let token: string;
  let userId: string;
  let danaId: string;

  before(async () => {
    const signedIn = await signedInUser(t.ctx, 'agent');
    token = signedIn.token;
    userId = signedIn.user.id;
    const dana = await t.ctx.db
      .insertInto('contacts')
      .values({ phone: danaPhone, wa_id: '14155550123', name: 'Dana', last_inbound_at: new Date(Date.now() - 3_600_000) })
      .returningAll()
      .executeTakeFirstOrThrow();
    danaId = dana.id;
    await queueMessages(t.ctx.db, [
      { contact_id: danaId, type: 'interactive', content: buttons.body, status: 'sent', external_id: buttonsWamid, interactive: JSON.stringify(buttons) },
      { contact_id: danaId, status: 'sent', external_id: reactedWamid },
      { contact_id: danaId, type: 'template', status: 'sent', external_id: templateWamid, template: JSON.stringify({ name: 'order_shipped', language: 'en_US' }) },
    ]);
  });

  const send = (contactId: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contactId}/messages`, headers: bearer(token), payload: payload as object });
  const react = (messageId: string, emoji: string) => t.app.inject({ method: 'POST', url: `/api/v1/messages/${messageId}/reactions`, headers: bearer(token), payload: { emoji } });
  const messageByWamid = async (wamid: string) => {
    const row = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', wamid).executeTakeFirstOrThrow();
    const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${danaId}/messages?limit=200`, headers: bearer(token) })).json().items as Array<Record<string, unknown>>;
    const found = thread.find((message) => message['id'] === row.id);
    assert.ok(found, 'the message is in the thread');
    return found;
  };
  const countOf = async (contactId: string) => Number((await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', '=', contactId).executeTakeFirstOrThrow()).n);

  it('sends reply buttons exactly in Meta’s format, shown with the buttons as sent', async () => {
    const sent = await send(danaId, { type: 'interactive', interactive: buttons });
    assert.equal(sent.statusCode, 202, sent.body);
    assert.equal(sent.json().type, 'interactive');
    assert.equal(sent.json().content, buttons.body);
    assert.deepEqual(sent.json().interactive, buttons);
    const [request] = await t.cloud.waitForSends(1, 10_000, (candidate) => candidate.body?.['type'] === 'interactive');
    const expected = fixtureJson('send-interactive-buttons-request.json');
    assert.deepEqual({ ...request?.body, biz_opaque_callback_data: undefined }, { ...expected, biz_opaque_callback_data: undefined });
  });

  it('sends a list, and refuses anything over Meta’s limits with 400 naming the field, storing nothing', async () => {
    const list = { type: 'list', body: 'Pick a delivery', button: 'Options', sections: [{ title: 'Speed', rows: [{ id: 'express', title: 'Express', description: 'Next day' }, { id: 'standard', title: 'Standard' }] }] };
    assert.equal((await send(danaId, { type: 'interactive', interactive: list })).statusCode, 202);
    const [request] = await t.cloud.waitForSends(1, 10_000, (candidate) => (candidate.body?.['interactive'] as { type?: string } | undefined)?.type === 'list');
    assert.deepEqual(request?.body?.['interactive'], { type: 'list', body: { text: 'Pick a delivery' }, action: { button: 'Options', sections: [{ title: 'Speed', rows: [{ id: 'express', title: 'Express', description: 'Next day' }, { id: 'standard', title: 'Standard' }] }] } });

    const before = await countOf(danaId);
    const button = (id: string, title = id) => ({ id, title });
    const cases: Array<[unknown, string]> = [
      [{ ...buttons, buttons: [button('a'), button('b'), button('c'), button('d')] }, 'interactive.buttons'],
      [{ ...buttons, buttons: [] }, 'interactive.buttons'],
      [{ ...buttons, buttons: [button('a', 'x'.repeat(21))] }, 'interactive.buttons[0].title'],
      [{ ...buttons, buttons: [button('a', 'Same'), button('b', 'Same')] }, 'interactive.buttons[1].title'],
      [{ ...buttons, buttons: [button('a', 'One'), button('a', 'Two')] }, 'interactive.buttons[1].id'],
      [{ ...buttons, buttons: [button('x'.repeat(257), 'One')] }, 'interactive.buttons[0].id'],
      [{ ...buttons, body: 'x'.repeat(1025) }, 'interactive.body'],
      [{ ...buttons, footer: 'x'.repeat(61) }, 'interactive.footer'],
      [{ ...buttons, header: 'x'.repeat(61) }, 'interactive.header'],
      [{ ...list, button: 'x'.repeat(21) }, 'interactive.button'],
      [{ ...list, sections: [{ title: 'All', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }] }, 'interactive.sections'],
      [{ ...list, sections: [{ title: 'A', rows: [{ id: 'r', title: 'x'.repeat(25) }] }] }, 'interactive.sections[0].rows[0].title'],
      [{ ...list, sections: [{ title: 'A', rows: [{ id: 'r', title: 'R', description: 'x'.repeat(73) }] }] }, 'interactive.sections[0].rows[0].description'],
      [{ ...list, sections: [{ title: 'A', rows: [{ id: 'x'.repeat(201), title: 'R' }] }] }, 'interactive.sections[0].rows[0].id'],
      [{ ...list, sections: [{ title: 'A', rows: [{ id: 'r', title: 'R' }] }, { title: 'B', rows: [{ id: 'r', title: 'S' }] }] }, 'interactive.sections[1].rows[0].id'],
    ];
    for (const [interactive, field] of cases) {
      const refused = await send(danaId, { type: 'interactive', interactive });
      assert.equal(refused.statusCode, 400, `${field}: ${refused.body}`);
      assert.ok((refused.json().error.details as Array<{ field: string }>).some((detail) => detail.field === field), `${field} named in ${refused.body}`);
    }
    const bulk = await t.app.inject({ method: 'POST', url: '/api/v1/messages/bulk', headers: bearer(token), payload: { messages: [{ contact_id: danaId, type: 'text', content: 'hi' }, { contact_id: danaId, type: 'interactive', interactive: { ...buttons, footer: 'x'.repeat(61) } }] } });
    assert.equal(bulk.statusCode, 400);
    assert.equal(bulk.json().error.details[0].field, 'messages[1].interactive.footer');
    assert.equal(await countOf(danaId), before, 'nothing stored');

    const closed = await createContact(t.ctx.db);
    const outside = await send(closed.id, { type: 'interactive', interactive: buttons });
    assert.equal(outside.statusCode, 422);
    assert.equal(outside.json().error.code, 'window_closed');
  });

  it('quotes a message of the thread with reply_to, sent as context.message_id', async () => {
    const quoted = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', reactedWamid).executeTakeFirstOrThrow();
    const sent = await send(danaId, { type: 'text', content: 'About this one', reply_to: quoted.id });
    assert.equal(sent.statusCode, 202);
    assert.equal(sent.json().reply_to, quoted.id);
    const [request] = await t.cloud.waitForSends(1, 10_000, (candidate) => (candidate.body?.['text'] as { body?: string } | undefined)?.body === 'About this one');
    assert.deepEqual(request?.body?.['context'], { message_id: reactedWamid });

    const other = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const [unsent] = await queueMessages(t.ctx.db, [{ contact_id: danaId, hold_reason: 'test' }]);
    for (const [contactId, replyTo] of [
      [other.id, quoted.id],
      [danaId, '4a3c2e1f-0000-4000-8000-000000000000'],
      [danaId, 'not-a-uuid'],
      [danaId, unsent?.id ?? ''],
    ] as const) {
      const refused = await send(contactId, { type: 'text', content: 'x', reply_to: replyTo });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().error.code, 'reply_target_not_found');
    }
  });

  it('stores inbound taps with the tapped title, the reply, and the message they answer', async () => {
    assert.equal((await postWebhook(t.app, fixtureBytes('webhook-inbound-button-reply.json'), t.cloud.appSecret)).statusCode, 200);
    assert.equal((await postWebhook(t.app, fixtureBytes('webhook-inbound-template-button.json'), t.cloud.appSecret)).statusCode, 200);
    await webhooksProcessed(t.ctx.db);
    const thread = (await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${danaId}/messages`, headers: bearer(token) })).json().items as Array<Record<string, unknown>>;
    const buttonsMessage = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', buttonsWamid).executeTakeFirstOrThrow();
    const templateMessage = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', templateWamid).executeTakeFirstOrThrow();
    const tap = thread.find((message) => message['type'] === 'interactive' && message['direction'] === 'inbound');
    assert.equal(tap?.['content'], 'Reschedule');
    assert.equal(tap?.['reply_to'], buttonsMessage.id);
    assert.deepEqual((tap?.['metadata'] as { reply?: unknown }).reply, { type: 'button_reply', id: 'reschedule', title: 'Reschedule' });
    const quickReply = thread.find((message) => message['type'] === 'button');
    assert.equal(quickReply?.['reply_to'], templateMessage.id);
    assert.deepEqual((quickReply?.['metadata'] as { reply?: { id: string } }).reply?.id, 'TRACK_ORDER');
  });

  it('shows a customer’s reaction on its target and takes it off again, never as a message', async () => {
    const before = await countOf(danaId);
    await postWebhook(t.app, fixtureBytes('webhook-inbound-reaction.json'), t.cloud.appSecret);
    await webhooksProcessed(t.ctx.db);
    assert.deepEqual((await messageByWamid(reactedWamid))['reactions'], [{ emoji: '👍', from: 'contact' }]);
    await postWebhook(t.app, fixtureBytes('webhook-inbound-reaction-removed.json'), t.cloud.appSecret);
    await webhooksProcessed(t.ctx.db);
    assert.deepEqual((await messageByWamid(reactedWamid))['reactions'], []);
    assert.equal(await countOf(danaId), before);
  });

  it('sends an agent’s reaction once, shows it on the message, and removes it with ""', async () => {
    const target = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', reactedWamid).executeTakeFirstOrThrow();
    const before = await countOf(danaId);
    const reacted = await react(target.id, '❤️');
    assert.equal(reacted.statusCode, 202, reacted.body);
    assert.deepEqual(reacted.json().reactions, [{ emoji: '❤️', from: 'user', user_id: userId }]);
    const [request] = await t.cloud.waitForSends(1, 10_000, (candidate) => candidate.body?.['type'] === 'reaction');
    assert.deepEqual(request?.body, { messaging_product: 'whatsapp', recipient_type: 'individual', to: danaPhone, type: 'reaction', reaction: { message_id: reactedWamid, emoji: '❤️' } });
    const sent = await eventually(async () => (await t.ctx.db.selectFrom('outbound_reactions').selectAll().where('message_id', '=', target.id).executeTakeFirst())?.status === 'sent', 10_000, 'the reaction to be sent');
    assert.ok(sent);
    assert.equal(await countOf(danaId), before, 'a reaction is not a message');

    const removed = await react(target.id, '');
    assert.deepEqual(removed.json().reactions, []);
    const requests = await t.cloud.waitForSends(2, 10_000, (candidate) => candidate.body?.['type'] === 'reaction');
    assert.equal((requests[1]?.body?.['reaction'] as { emoji?: string }).emoji, '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(t.cloud.sends().filter((candidate) => candidate.body?.['type'] === 'reaction').length, 2, 'each reaction sent once');
  });

  it('takes a reaction WhatsApp refuses off the message again, and never resends one whose outcome was lost', async () => {
    const target = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', reactedWamid).executeTakeFirstOrThrow();
    t.cloud.script((request) => ((request.body?.['reaction'] as { emoji?: string } | undefined)?.emoji === '😮' ? { kind: 'error', code: 131009 } : undefined));
    try {
      const shown = await react(target.id, '😮');
      assert.deepEqual(shown.json().reactions.map((reaction: { emoji: string }) => reaction.emoji), ['😮']);
      await eventually(async () => ((await messageByWamid(reactedWamid))['reactions'] as unknown[]).length === 0, 10_000, 'the refused reaction to come off');
      const failed = await t.ctx.db.selectFrom('outbound_reactions').select(['status', 'error']).where('emoji', '=', '😮').executeTakeFirstOrThrow();
      assert.equal(failed.status, 'failed');
      assert.match(failed.error ?? '', /131009/);
    } finally {
      t.cloud.script(undefined);
    }

    // A claim left in flight by a process that died: its outcome is unknown, so it is not sent again.
    const before = t.cloud.sends().length;
    await t.ctx.db.insertInto('outbound_reactions').values({ message_id: target.id, user_id: userId, emoji: '🙏', sending_at: new Date(Date.now() - 3_600_000), attempts: 1 }).execute();
    assert.equal(await new ReactionRepository(t.ctx.db).reapStale(600), 1);
    t.ctx.whatsapp.reactions.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(t.cloud.sends().length, before);
    const lost = await t.ctx.db.selectFrom('outbound_reactions').select('status').where('emoji', '=', '🙏').executeTakeFirstOrThrow();
    assert.equal(lost.status, 'unknown');
  });

  it('refuses reactions outside the window, to unsent messages and that are not an emoji', async () => {
    const closed = await createContact(t.ctx.db);
    const [old] = await queueMessages(t.ctx.db, [{ contact_id: closed.id, status: 'sent', external_id: `wamid.old${Date.now()}` }]);
    const outside = await react(old?.id ?? '', '👍');
    assert.equal(outside.statusCode, 422);
    assert.equal(outside.json().error.code, 'window_closed');
    const [unsent] = await queueMessages(t.ctx.db, [{ contact_id: danaId, hold_reason: 'test' }]);
    const notSent = await react(unsent?.id ?? '', '👍');
    assert.equal(notSent.statusCode, 422);
    assert.equal(notSent.json().error.code, 'reaction_target_not_sent');
    const target = await t.ctx.db.selectFrom('messages').select('id').where('external_id', '=', reactedWamid).executeTakeFirstOrThrow();
    assert.equal((await react(target.id, 'nice')).statusCode, 400);
    assert.equal((await react('4a3c2e1f-0000-4000-8000-000000000000', '👍')).statusCode, 404);
  });
});
