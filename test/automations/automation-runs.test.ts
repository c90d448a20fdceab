import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeEach, it } from 'node:test';
import { sql } from 'kysely';
import type { Message } from '../../src/db/schema.js';
import { bearer } from '../support/app.js';
import { inboundTextWebhookBody, webhookBody } from '../support/cloud-api-stand-in.js';
import { AutomationRepository } from '../../src/automations/automation.repository.js';
import { connect } from '../../src/db/connection.js';
import { transaction } from '../../src/db/transaction.js';
import { silentLogger } from '../../src/shared/logger.js';
import { forEachEngine } from '../support/databases.js';
import { automationHarness } from './harness.js';

forEachEngine('Automations on inbound messages', (suite) => {
  const h = automationHarness(suite);
  const { rule, deliver, customer, say } = h;
  beforeEach(async () => {
    await h.t.ctx.db.deleteFrom('business_hours').execute();
  });

  const contactOf = (from: string) => h.t.ctx.db.selectFrom('contacts').selectAll().where('phone', '=', `+${from}`).executeTakeFirstOrThrow();
  const automatic = async (from: string): Promise<Message[]> => {
    const contact = await contactOf(from);
    return h.t.ctx.db.selectFrom('messages').selectAll().where('contact_id', '=', contact.id).where('direction', '=', 'outbound').orderBy('created_at').execute();
  };
  const reply = (content: string) => ({ type: 'reply', message: { type: 'text', content } });

  it('answers a keyword, case and accents ignored, as an outbound message from no user carrying the automation id', async () => {
    const id = await rule({ trigger: 'message.received', conditions: { keywords: ['preço'], match: 'contains' }, actions: [reply('Our prices: flowchat.example/prices')] });
    const from = customer();
    await say(from, 'Qual o PRECO do plano?');
    const [sent, ...more] = await automatic(from);
    assert.equal(more.length, 0);
    assert.equal(sent?.content, 'Our prices: flowchat.example/prices');
    assert.equal(sent?.status, 'pending');
    assert.equal(sent?.from_user_id, null);
    assert.deepEqual(sent?.metadata, { automation_id: id });
    const inbound = await h.t.ctx.db.selectFrom('messages').select('created_at').where('contact_id', '=', sent?.contact_id ?? '').where('direction', '=', 'inbound').executeTakeFirstOrThrow();
    assert.ok((sent?.created_at.getTime() ?? 0) > inbound.created_at.getTime(), 'the reply follows the message it answers in the thread');
    const thread = await h.t.app.inject({ method: 'GET', url: `/api/v1/contacts/${sent?.contact_id}/messages`, headers: bearer(h.admin) });
    const shown = thread.json().items.find((item: { id: string }) => item.id === sent?.id);
    assert.equal(shown.from_user_id, undefined);
    assert.equal(shown.metadata.automation_id, id);

    const other = customer();
    await say(other, 'preçoso is not the word');
    assert.deepEqual(await automatic(other), []);
  });

  it('matches exact keywords only on the whole message', async () => {
    await rule({ trigger: 'message.received', conditions: { keywords: { values: ['horário'], match: 'exact' } }, actions: [reply('We open at nine')] });
    const exact = customer();
    await say(exact, '  Horario! ');
    assert.equal((await automatic(exact)).length, 1);
    const longer = customer();
    await say(longer, 'qual o horario?');
    assert.equal((await automatic(longer)).length, 0);
  });

  it('sends at most one automatic reply per inbound message: the first rule wins, the others still tag', async () => {
    const first = await rule({ trigger: 'message.received', actions: [reply('first')] });
    await rule({ trigger: 'message.received', actions: [reply('second'), { type: 'add_tags', tags: ['Lead'] }] });
    const from = customer();
    await say(from, 'hello');
    const replies = await automatic(from);
    assert.deepEqual(replies.map((message) => message.content), ['first']);
    assert.equal(replies[0]?.metadata['automation_id'], first);
    assert.deepEqual((await contactOf(from)).tags, ['lead']);
    await say(from, 'hello again');
    assert.deepEqual((await automatic(from)).map((message) => message.content), ['first', 'first']);
  });

  it('answers every message of a batched webhook once, and welcomes a customer who wrote twice in it once', async () => {
    await rule({ trigger: 'conversation.opened', actions: [reply('Welcome!')] });
    await rule({ trigger: 'message.received', conditions: { keywords: ['price'] }, actions: [reply('Prices: flowchat.example/prices')] });
    const [ana, bo, cy] = [customer(), customer(), customer()];
    const now = Math.floor(Date.now() / 1000);
    const message = (from: string, text: string, offset: number) => ({ from, id: `wamid.IN${randomBytes(8).toString('hex')}`, timestamp: String(now + offset), type: 'text', text: { body: text } });
    await deliver(webhookBody({
      contacts: [ana, bo, cy].map((wa_id) => ({ profile: { name: 'Customer' }, wa_id })),
      messages: [message(ana, 'hello', 0), message(bo, 'the price?', 0), message(ana, 'and the price?', 1), message(cy, 'STOP', 0)],
    }));
    assert.deepEqual((await automatic(ana)).map((sent) => sent.content), ['Welcome!', 'Prices: flowchat.example/prices']);
    assert.deepEqual((await automatic(bo)).map((sent) => sent.content), ['Welcome!']);
    assert.deepEqual(await automatic(cy), []);
  });

  it('claims an away reply once when two processes claim it at once', async () => {
    const id = await rule({ trigger: 'message.received', conditions: { outside_business_hours: true }, actions: [reply('away')] });
    const from = customer();
    await say(from, 'hi');
    const contact = await contactOf(from);
    await h.t.ctx.db.deleteFrom('automation_away_replies').execute();
    const other = suite.database.url ? await connect({ databaseUrl: suite.database.url, logger: silentLogger() }) : undefined;
    try {
      const claims = await Promise.all([
        transaction(h.t.ctx.db, (trx) => new AutomationRepository(trx).claimAwayReply(id, contact.id, 12)),
        transaction((other ?? h.t.ctx.database).db, (trx) => new AutomationRepository(trx).claimAwayReply(id, contact.id, 12)),
      ]);
      assert.deepEqual(claims.sort(), [false, true]);
    } finally {
      await other?.close();
    }
  });

  it('keeps the message when a rule fails: that rule is undone and audited as failed, the next one still runs', async () => {
    // A rule the API would refuse, written straight to the table: the database rejects its assignee.
    const broken = await h.t.ctx.db
      .insertInto('automations')
      .values({ name: 'broken', trigger: 'message.received', conditions: '{}', actions: JSON.stringify([{ type: 'add_tags', tags: ['half-done'] }, { type: 'assign', user_id: 'not-a-uuid' }]) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await rule({ trigger: 'message.received', actions: [reply('still answered')] });
    const from = customer();
    await say(from, 'hello');
    const contact = await contactOf(from);
    assert.equal(contact.message_count, 2);
    assert.deepEqual(contact.tags, []);
    assert.deepEqual((await automatic(from)).map((sent) => sent.content), ['still answered']);
    const runs = await h.t.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'automation.ran').where('target_id', '=', contact.id).orderBy('id').execute();
    assert.equal(runs[0]?.details['automation_id'], broken.id);
    assert.equal(typeof runs[0]?.details['failed'], 'string');
    assert.equal(runs.length, 2);
  });

  it('runs nothing twice when Meta redelivers a webhook', async () => {
    await rule({ trigger: 'message.received', actions: [reply('once'), { type: 'add_tags', tags: ['seen'] }] });
    const from = customer();
    const body = inboundTextWebhookBody({ from, text: 'hi', wamid: `wamid.IN${randomBytes(8).toString('hex')}` });
    await deliver(body);
    await deliver(body);
    await deliver(body);
    assert.equal((await automatic(from)).length, 1);
    const contact = await contactOf(from);
    const runs = await h.t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'automation.ran').where('target_id', '=', contact.id).execute();
    assert.equal(runs.length, 1);
  });

  it('never answers its own messages: a rule matching everything answers each customer message once, however the reply travels', async () => {
    await rule({ trigger: 'message.received', actions: [reply('auto')] });
    const from = customer();
    await say(from, 'one');
    const [sent] = await automatic(from);
    assert.ok(sent);
    // The reply's status webhooks coming back trigger nothing either.
    await h.t.ctx.db.updateTable('messages').set({ external_id: `wamid.OUT${randomBytes(6).toString('hex')}`, status: 'sent' }).where('id', '=', sent.id).execute();
    const wamid = (await h.t.ctx.db.selectFrom('messages').select('external_id').where('id', '=', sent.id).executeTakeFirstOrThrow()).external_id ?? '';
    await deliver(webhookBody({ statuses: [{ id: wamid, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: from }] }));
    await deliver(webhookBody({ statuses: [{ id: wamid, status: 'read', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: from }] }));
    assert.equal((await automatic(from)).length, 1);
  });

  it('sends no automatic reply to an opted-out contact nor free text outside the window, and audits why', async () => {
    await rule({ trigger: 'message.received', actions: [reply('auto')] });
    const from = customer();
    await say(from, 'STOP');
    assert.equal((await automatic(from)).length, 0);
    assert.ok((await contactOf(from)).opted_out_at);
    await say(from, 'still there?');
    assert.equal((await automatic(from)).length, 0);

    const late = customer();
    // A message written two days ago and delivered only now: its window has closed.
    await say(late, 'old news', { timestamp: Math.floor(Date.now() / 1000) - 2 * 86_400 });
    assert.equal((await automatic(late)).length, 0);
    const contact = await contactOf(late);
    const audit = await h.t.app.inject({ method: 'GET', url: '/api/v1/audit?action=automation.ran', headers: bearer(h.admin) });
    const entry = audit.json().items.find((item: { target: { id: string } }) => item.target.id === contact.id);
    assert.equal(entry.actor.type, 'system');
    assert.equal(entry.target.type, 'contact');
    assert.deepEqual(entry.details.actions, [{ type: 'reply', outcome: 'window_closed' }]);
  });

  it('fires conversation.opened on the first message and again once a closed conversation gets a new one, which reopens it', async () => {
    await rule({ trigger: 'conversation.opened', actions: [reply('Welcome!')] });
    const from = customer();
    await say(from, 'first');
    await say(from, 'second');
    assert.equal((await automatic(from)).length, 1);
    const contact = await contactOf(from);
    const closed = await h.t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/conversation`, headers: bearer(h.admin), payload: { status: 'closed' } });
    assert.equal(closed.statusCode, 200, closed.payload);
    await say(from, 'back again');
    assert.equal((await automatic(from)).length, 2);
    assert.equal((await contactOf(from)).conversation_status, 'open');
  });

  it('fires button.clicked on a tap whose id is listed, and the close action closes the conversation', async () => {
    await rule({ trigger: 'button.clicked', conditions: { button_ids: ['talk_to_sales'] }, actions: [reply('A colleague will write soon'), { type: 'add_tags', tags: ['sales'] }, { type: 'close' }] });
    const tap = (from: string, id: string) =>
      deliver(webhookBody({
        contacts: [{ profile: { name: 'Tapper' }, wa_id: from }],
        messages: [{ from, id: `wamid.IN${randomBytes(8).toString('hex')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title: 'Talk to sales' } } }],
      }));
    const from = customer();
    await tap(from, 'talk_to_sales');
    assert.deepEqual((await automatic(from)).map((message) => message.content), ['A colleague will write soon']);
    const contact = await contactOf(from);
    assert.deepEqual(contact.tags, ['sales']);
    assert.equal(contact.conversation_status, 'closed');
    const other = customer();
    await tap(other, 'something_else');
    await say(other, 'talk_to_sales');
    assert.equal((await automatic(other)).length, 0);
  });

  it('keeps a rule to contacts with its tags, and stores channel_ids (no message is on a channel yet, so it holds for none)', async () => {
    await rule({ trigger: 'message.received', conditions: { tags: ['VIP'] }, actions: [reply('Hello VIP')] });
    await rule({ trigger: 'message.received', conditions: { channel_ids: ['0b7a2c4e-3f1d-4c8e-9a6b-5d2e1f0a9c8b'] }, actions: [reply('channel')] });
    const vip = customer();
    await say(vip, 'hi');
    assert.equal((await automatic(vip)).length, 0);
    await h.t.ctx.db.updateTable('contacts').set({ tags: ['vip'] }).where('phone', '=', `+${vip}`).execute();
    await say(vip, 'hi again');
    assert.deepEqual((await automatic(vip)).map((message) => message.content), ['Hello VIP']);
  });

  it('runs no disabled rule, and a PATCH enables it', async () => {
    const id = await rule({ trigger: 'message.received', enabled: false, actions: [reply('enabled now')] });
    const from = customer();
    await say(from, 'one');
    assert.equal((await automatic(from)).length, 0);
    const patched = await h.t.app.inject({ method: 'PATCH', url: `/api/v1/automations/${id}`, headers: bearer(h.admin), payload: { enabled: true } });
    assert.equal(patched.json().enabled, true);
    await say(from, 'two');
    assert.equal((await automatic(from)).length, 1);
  });

  it('answers outside business hours at most once per contact in 12 hours, and not inside them', async () => {
    const closedAllWeek = { timezone: 'America/Sao_Paulo', week: {}, closed_dates: [] };
    assert.equal((await h.t.app.inject({ method: 'PUT', url: '/api/v1/business-hours', headers: bearer(h.admin), payload: closedAllWeek })).statusCode, 200);
    await rule({ trigger: 'message.received', conditions: { outside_business_hours: true }, actions: [reply('We are closed; back at nine')] });
    const from = customer();
    await say(from, 'anyone?');
    await say(from, 'hello??');
    assert.equal((await automatic(from)).length, 1);
    // Thirteen hours later the away message may go again.
    const contact = await contactOf(from);
    await sql`UPDATE automation_away_replies SET replied_at = replied_at - interval '13 hours' WHERE contact_id = ${contact.id}`.execute(h.t.ctx.db);
    await say(from, 'next morning?');
    assert.equal((await automatic(from)).length, 2);

    const openAllWeek = { timezone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])), closed_dates: [] };
    await h.t.app.inject({ method: 'PUT', url: '/api/v1/business-hours', headers: bearer(h.admin), payload: openAllWeek });
    const inside = customer();
    await say(inside, 'hello');
    assert.equal((await automatic(inside)).length, 0);
  });
});
