/**
 * Stored webhooks are processed in batches: many events claimed at once and applied together in
 * one transaction. What a batch could break and a user would notice: a poison event holding back
 * or taking down the others, statuses of one message applied out of order, the events of one
 * contact applied out of order, and two processors handling the same event twice.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { connect } from '../../src/db/connection.js';
import { transaction } from '../../src/db/transaction.js';
import type { JsonObject } from '../../src/db/schema.js';
import { silentLogger } from '../../src/shared/logger.js';
import { bearer, signedInUser, startTestApp } from '../support/app.js';
import { inboundTextWebhookBody, statusWebhookBody, webhookBody } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { suiteApp } from '../support/suite-app.js';
import { createContact, messageById, messagesWithWamids, queueMessages } from '../support/whatsapp.js';

const statusRank: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/** Each message's statuses, in its own order of arrival, taken in turns: `[wamid, status, unix time]`. */
function interleaved(arrivals: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>>, now: number): Array<[string, string, number]> {
  const queues = Object.entries(arrivals).map(([wamid, statuses]) => statuses.map(([status, secondsAgo]): [string, string, number] => [wamid, status, now - secondsAgo]));
  const longest = Math.max(...queues.map((queue) => queue.length));
  return Array.from({ length: longest }, (_, turn) => queues.flatMap((queue) => queue.slice(turn, turn + 1))).flat();
}

forEachEngine('webhook batches', (suite) => {
  // No workers: each test stores webhooks, then processes them with `drain()`, so they go as one batch.
  const t = suiteApp(suite);

  const store = async (bodies: readonly string[]): Promise<number[]> => {
    const ids: number[] = [];
    for (const body of bodies) ids.push(await t.ctx.whatsapp.ingest.store(body, 'cloud_api'));
    return ids;
  };
  const inboxRow = (id: number) => t.ctx.db.selectFrom('whatsapp_webhook_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsAfter = async (eventId: number) =>
    (await t.ctx.db.selectFrom('events').select(['id', 'type', 'data']).where('id', '>', eventId).orderBy('id').execute()).map((event) => ({
      ...event,
      data: event.data as JsonObject,
    }));
  const lastEventId = async (): Promise<number> =>
    Number((await t.ctx.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
  const byWamid = (wamid: string) => t.ctx.db.selectFrom('messages').selectAll().where('external_id', '=', wamid).executeTakeFirst();
  const from = () => uniquePhone().slice(1);
  /** Processes `bodies` as one batch, or a webhook at a time as `receive` and `apply` take them one after another. */
  const processAs = async (mode: 'together' | 'one at a time', bodies: readonly string[]) => {
    if (mode === 'together') {
      await store(bodies);
      assert.equal(await t.ctx.whatsapp.processor.drain(), bodies.length);
    } else {
      for (const body of bodies) await transaction(t.ctx.db, (trx) => t.ctx.whatsapp.processor.processPayload(trx, JSON.parse(body) as JsonObject));
    }
  };

  it('commits the rest of a batch around a poison event, and retries that one later', async () => {
    await sql`
      CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.external_id = 'wamid.POISON' THEN RAISE EXCEPTION 'poisoned on purpose'; END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER test_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_poison();
    `.execute(t.ctx.db);
    const regular = from();
    const [sent] = await messagesWithWamids(t.ctx.db, { 'wamid.OUTBOUND.POISONBATCH': 'sent' });
    const since = await lastEventId();
    const ids = await store([
      inboundTextWebhookBody({ from: regular, text: 'first', wamid: 'wamid.BEFOREPOISON' }),
      inboundTextWebhookBody({ from: from(), text: 'I break things', wamid: 'wamid.POISON' }),
      statusWebhookBody({ wamid: 'wamid.OUTBOUND.POISONBATCH', status: 'delivered' }),
      inboundTextWebhookBody({ from: regular, text: 'second', wamid: 'wamid.AFTERPOISON' }),
    ]);
    try {
      assert.equal(await t.ctx.whatsapp.processor.drain(), 3, 'the other three processed');
      const [first, poison, status, second] = await Promise.all(ids.map(inboxRow));
      for (const row of [first, status, second]) {
        assert.ok(row?.processed_at, `event ${row?.id} processed`);
        assert.equal(row?.attempts, 0);
      }
      assert.equal(poison?.processed_at, null, 'the poison event is not processed');
      assert.equal(poison?.attempts, 1);
      assert.ok(poison?.last_error, 'the failure is kept with the event');
      assert.ok((poison?.next_attempt_at.getTime() ?? 0) > Date.now(), 'retried later, with the usual wait');

      assert.ok(await byWamid('wamid.BEFOREPOISON'));
      assert.ok(await byWamid('wamid.AFTERPOISON'));
      assert.equal(await byWamid('wamid.POISON'), undefined);
      assert.equal((await messageById(t.ctx.db, sent?.id ?? '')).status, 'delivered');
      const contact = await t.ctx.db.selectFrom('contacts').selectAll().where('wa_id', '=', regular).executeTakeFirstOrThrow();
      assert.equal(contact.message_count, 2);

      const events = await eventsAfter(since);
      const created = events.filter((event) => event.type === 'message.created').map((event) => event.data['external_id']);
      assert.deepEqual(created, ['wamid.BEFOREPOISON', 'wamid.AFTERPOISON'], 'each stored message announced once, in order, and nothing of the poison event');
      assert.deepEqual(
        events.filter((event) => event.type === 'message.updated').map((event) => [event.data['id'], event.data['status']]),
        [[sent?.id, 'delivered']],
      );
    } finally {
      await sql`DROP TRIGGER test_poison ON messages; DROP FUNCTION test_poison();`.execute(t.ctx.db);
    }

    await t.ctx.db.updateTable('whatsapp_webhook_events').set({ next_attempt_at: new Date() }).where('id', '=', ids[1] ?? 0).execute();
    assert.equal(await t.ctx.whatsapp.processor.drain(), 1);
    assert.ok((await inboxRow(ids[1] ?? 0)).processed_at, 'processed on its retry');
    assert.ok(await byWamid('wamid.POISON'));
  });

  it('ends many statuses of one message, shuffled in one batch, at the highest, moving only forward', async () => {
    const [shuffled, failedFirst, other] = await messagesWithWamids(t.ctx.db, { 'wamid.SHUFFLED': 'pending', 'wamid.FAILEDFIRST': 'sent', 'wamid.OTHERINBATCH': 'sent' });
    const now = Math.floor(Date.now() / 1000);
    const since = await lastEventId();
    // What each message receives, in order of arrival, as [status, seconds ago]; the batch interleaves them.
    const statuses = interleaved({
      'wamid.SHUFFLED': [['delivered', 20], ['read', 10], ['sent', 30], ['delivered', 20], ['failed', 5], ['played', 1], ['sent', 30]],
      'wamid.FAILEDFIRST': [['failed', 30], ['sent', 40], ['delivered', 20]],
      'wamid.OTHERINBATCH': [['delivered', 20], ['read', 15]],
    }, now);
    await store(
      statuses.map(([wamid, status, timestamp]) =>
        statusWebhookBody({ wamid, status, timestamp, ...(status === 'failed' ? { error: { code: 131026, title: 'Message undeliverable' } } : {}) }),
      ),
    );
    assert.equal(await t.ctx.whatsapp.processor.drain(), statuses.length);

    const read = await messageById(t.ctx.db, shuffled?.id ?? '');
    assert.equal(read.status, 'read');
    assert.equal(read.sent_at?.getTime(), (now - 20) * 1000, 'the first forward move (delivered) stamps the steps it skipped, a later sent changes nothing');
    assert.equal(read.delivered_at?.getTime(), (now - 20) * 1000);
    assert.equal(read.read_at?.getTime(), (now - 10) * 1000);
    assert.equal(read.error_code, null, 'a failed after read changes nothing');
    const failed = await messageById(t.ctx.db, failedFirst?.id ?? '');
    assert.equal(failed.status, 'failed', 'a later sent or delivered never revives a failed message');
    assert.equal(failed.error_code, '131026');
    assert.equal((await messageById(t.ctx.db, other?.id ?? '')).status, 'read');

    const history = await t.ctx.db.selectFrom('message_status_events').select('status').where('message_id', '=', shuffled?.id ?? '').orderBy('id').execute();
    assert.deepEqual(
      history.map((row) => row.status),
      statuses.filter(([wamid]) => wamid === 'wamid.SHUFFLED').map(([, status]) => status),
      'every status kept, in the order received',
    );
    const moves = (await eventsAfter(since)).filter((event) => event.type === 'message.updated' && event.data['id'] === shuffled?.id).map((event) => String(event.data['status']));
    assert.deepEqual(moves, ['delivered', 'read'], 'announced once per forward move, in order');
    assert.ok(moves.every((status, index) => index === 0 || (statusRank[status] ?? 0) > (statusRank[moves[index - 1] ?? ''] ?? 0)));
  });

  it('applies a message’s sent, delivered and read arriving together as one after another: each move stamped and announced as it left the message', async () => {
    const [together, backwards, parked] = ['wamid.TOGETHER', 'wamid.BACKWARDS', 'wamid.NOTSENTYET'];
    const [first, second] = await messagesWithWamids(t.ctx.db, { [together]: 'pending', [backwards]: 'pending' });
    const now = Math.floor(Date.now() / 1000);
    const since = await lastEventId();
    const arrivals: Array<[string, string, number]> = [
      [together, 'sent', now - 30],
      [together, 'delivered', now - 20],
      [backwards, 'read', now - 5],
      [parked, 'delivered', now - 4],
      [together, 'read', now - 10],
      [backwards, 'delivered', now - 15],
      [together, 'delivered', now - 20],
      [parked, 'read', now - 3],
      [backwards, 'sent', now - 25],
    ];
    await store(arrivals.map(([wamid, status, timestamp]) => statusWebhookBody({ wamid, status, timestamp })));
    assert.equal(await t.ctx.whatsapp.processor.drain(), arrivals.length);

    const at = (seconds: number) => new Date(seconds * 1000).toISOString();
    const moves = (await eventsAfter(since))
      .filter((event) => event.type === 'message.updated')
      .map((event) => [event.data['id'], event.data['status'], event.data['sent_at'], event.data['delivered_at'], event.data['read_at']]);
    assert.deepEqual(moves, [
      [first?.id, 'sent', at(now - 30), null, null],
      [first?.id, 'delivered', at(now - 30), at(now - 20), null],
      [second?.id, 'read', at(now - 5), at(now - 5), at(now - 5)],
      [first?.id, 'read', at(now - 30), at(now - 20), at(now - 10)],
    ], 'each forward move announced in the order received, with the message as it left it; moves backwards announce nothing');

    const read = await messageById(t.ctx.db, first?.id ?? '');
    assert.deepEqual([read.status, read.sent_at, read.delivered_at, read.read_at], ['read', new Date((now - 30) * 1000), new Date((now - 20) * 1000), new Date((now - 10) * 1000)]);
    assert.equal((await messageById(t.ctx.db, second?.id ?? '')).status, 'read', 'a delivered or sent after read changes nothing');
    const history = await t.ctx.db
      .selectFrom('message_status_events')
      .select(['external_id', 'status', 'message_id'])
      .where('external_id', 'in', [together, backwards, parked])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      history.map((row) => [row.external_id, row.status, row.message_id]),
      arrivals.map(([wamid, status]) => [wamid, status, wamid === together ? first?.id : wamid === backwards ? second?.id : null]),
      'every status kept in the order received, those of a message not known yet parked',
    );
  });

  it('applies failures arriving with other statuses as one after another does: errors kept, never over delivered, an opt-out code opting the contact out', async () => {
    // The same statuses twice: once processed as one batch, once a webhook at a time as `apply` applies them.
    for (const mode of ['together', 'one at a time'] as const) {
      const wamid = (name: string) => `wamid.FAILURES.${mode}.${name}`;
      const [limited, delivered, late, quick] = await messagesWithWamids(t.ctx.db, { [wamid('limited')]: 'sent', [wamid('delivered')]: 'delivered', [wamid('late')]: 'sent', [wamid('quick')]: 'pending' });
      const [stopped] = await messagesWithWamids(t.ctx.db, { [wamid('stopped')]: 'sent' });
      const now = Math.floor(Date.now() / 1000);
      const failed = (name: string, code: number, secondsAgo: number) =>
        statusWebhookBody({ wamid: wamid(name), status: 'failed', timestamp: now - secondsAgo, error: { code, title: `error ${code}`, details: `details of ${code}` } });
      const bodies = [
        failed('limited', 131049, 50),
        failed('delivered', 131026, 40),
        statusWebhookBody({ wamid: wamid('late'), status: 'delivered', timestamp: now - 35 }),
        failed('stopped', 131050, 30),
        statusWebhookBody({ wamid: wamid('quick'), status: 'sent', timestamp: now - 25 }),
        failed('late', 131049, 20),
        failed('quick', 131049, 10),
      ];
      const since = await lastEventId();
      await processAs(mode, bodies);

      const state = async (message: typeof limited) => {
        const row = await messageById(t.ctx.db, message?.id ?? '');
        return [row.status, row.error_code, row.error_title, row.error_message, row.failed_at?.getTime() ?? null];
      };
      assert.deepEqual(await state(limited), ['failed', '131049', 'error 131049', 'details of 131049', (now - 50) * 1000], `${mode}: the error kept with the message`);
      assert.deepEqual(await state(delivered), ['delivered', null, null, null, null], `${mode}: a failure never moves a delivered message back`);
      assert.deepEqual(await state(late), ['delivered', null, null, null, null], `${mode}: nor one delivered earlier in the same batch`);
      assert.deepEqual(await state(quick), ['failed', '131049', 'error 131049', 'details of 131049', (now - 10) * 1000], `${mode}: sent, then failed`);
      assert.deepEqual(await state(stopped), ['failed', '131050', 'error 131050', 'details of 131050', (now - 30) * 1000]);
      const contact = await t.ctx.db.selectFrom('contacts').select(['id', 'opted_out_at', 'opted_out_source']).where('id', '=', stopped?.contact_id ?? '').executeTakeFirstOrThrow();
      assert.equal(contact.opted_out_source, 'whatsapp', `${mode}: 131050 opts the contact out`);
      const others = await t.ctx.db.selectFrom('contacts').select('opted_out_at').where('id', '=', limited?.contact_id ?? '').executeTakeFirstOrThrow();
      assert.equal(others.opted_out_at, null, `${mode}: other failures opt nobody out`);

      const moves = (await eventsAfter(since))
        .filter((event) => event.type === 'message.updated')
        .map((event) => [event.data['id'], event.data['status']]);
      assert.deepEqual(moves, [
        [limited?.id, 'failed'],
        [late?.id, 'delivered'],
        [stopped?.id, 'failed'],
        [quick?.id, 'sent'],
        [quick?.id, 'failed'],
      ], `${mode}: each move announced once, in the order received`);
      const history = await t.ctx.db.selectFrom('message_status_events').select(['external_id', 'status']).where('external_id', 'like', `wamid.FAILURES.${mode}.%`).orderBy('id').execute();
      assert.equal(history.length, bodies.length, `${mode}: every status kept in the history`);
    }
  });

  it('applies one contact’s messages of a batch in the order stored: counters, announcements and keywords', async () => {
    const phone = uniquePhone();
    const since = await lastEventId();
    const texts = ['hello', 'STOP', 'one more thing', 'START', 'thanks'];
    const base = Math.floor(Date.now() / 1000) - 60;
    await store(
      texts.flatMap((text, index) => [
        inboundTextWebhookBody({ from: phone.slice(1), text, wamid: `wamid.ORDERED${index}`, timestamp: base + index * 10 }),
        // Other customers in between, so the contact's messages are spread over the batch.
        inboundTextWebhookBody({ from: from(), text: `hi ${index}` }),
      ]),
    );
    await t.ctx.whatsapp.processor.drain();
    const contact = await t.ctx.db.selectFrom('contacts').selectAll().where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.equal(contact.message_count, texts.length);
    assert.equal(contact.unread_count, texts.length);
    assert.equal(contact.opted_out_at, null, 'STOP, then START: opted back in');
    assert.equal(contact.last_inbound_at?.getTime(), (base + 40) * 1000);

    const events = (await eventsAfter(since)).filter((event) =>
      event.type === 'contact.updated' ? event.data['id'] === contact.id : event.data['contact_id'] === contact.id,
    );
    assert.deepEqual(
      events.map((event) => (event.type === 'message.created' ? `created ${String(event.data['content'])}` : `contact ${String(event.data['message_count'])} ${event.data['opted_out'] ? 'out' : 'in'}`)),
      ['created hello', 'contact 1 in', 'created STOP', 'contact 2 out', 'created one more thing', 'contact 3 out', 'created START', 'contact 4 in', 'created thanks', 'contact 5 in'],
      'each message announced with the contact as it was right after it',
    );
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', contact.id).orderBy('id').execute();
    assert.deepEqual(audit.map((row) => row.action), ['contact.opted_out', 'contact.opted_in']);
  });

  it('applies customers’ messages arriving together, a few from each, as one after another: counters, announcements and automations as after each', async () => {
    const { token } = await signedInUser(t.ctx, 'admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/automations',
      headers: bearer(token),
      payload: { name: 'greet', trigger: 'conversation.opened', actions: [{ type: 'add_tags', tags: ['greeted'] }] },
    });
    assert.equal(created.statusCode, 201, created.payload);
    try {
      const [closed, open, fresh] = [from(), from(), from()];
      await store([inboundTextWebhookBody({ from: closed, text: 'earlier' }), inboundTextWebhookBody({ from: open, text: 'earlier' })]);
      await t.ctx.whatsapp.processor.drain();
      await t.ctx.db.updateTable('contacts').set({ conversation_status: 'closed' }).where('wa_id', '=', closed).execute();
      const since = await lastEventId();
      const texts = ['one', 'two', 'three'];
      await store(texts.flatMap((text) => [closed, open, fresh].map((customer) => inboundTextWebhookBody({ from: customer, text: `${customer} ${text}` }))));
      await t.ctx.whatsapp.processor.drain();

      const events = await eventsAfter(since);
      for (const [customer, before] of [[closed, 1], [open, 1], [fresh, 0]] as const) {
        const contact = await t.ctx.db.selectFrom('contacts').selectAll().where('wa_id', '=', customer).executeTakeFirstOrThrow();
        assert.equal(contact.message_count, before + texts.length);
        assert.equal(contact.unread_count, before + texts.length);
        assert.equal(contact.conversation_status, 'open');
        const mine = events.filter((event) => (event.type === 'contact.updated' ? event.data['id'] === contact.id : event.data['contact_id'] === contact.id));
        assert.deepEqual(
          mine.map((event) => (event.type === 'message.created' ? `created ${String(event.data['content']).split(' ')[1]}` : `contact ${String(event.data['message_count'])} ${String(event.data['conversation_status'])}`)),
          [
            'created one',
            `contact ${before + 1} ${customer === closed ? 'closed' : 'open'}`,
            ...(customer === open ? [] : [`contact ${before + 1} open`]),
            'created two',
            `contact ${before + 2} open`,
            'created three',
            `contact ${before + 3} open`,
          ],
          'each message announced with the contact as it was right after it, and after the automation that its conversation opening ran',
        );
        const runs = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'automation.ran').where('target_id', '=', contact.id).execute();
        assert.equal(runs.length, customer === closed ? 2 : 1, 'the conversation opened once per first message or reopening, not once per message');
      }
    } finally {
      await t.ctx.db.deleteFrom('automations').execute();
    }
  });

  it('fills in contacts’ WhatsApp identity from their messages arriving together as one after another does: imported contacts, a BSUID, a new username, an id another contact holds', async () => {
    // The same situation twice: once processed as one batch, once a webhook at a time as `receive` stores it.
    for (const mode of ['together', 'one at a time'] as const) {
      const [ana, bia, caio, holder, doraBsuid] = [from(), from(), from(), from(), `US.${from()}`];
      const caioBsuid = `US.${caio}`;
      await t.ctx.db
        .insertInto('contacts')
        .values([
          { phone: `+${ana}`, name: 'Ana (imported)' },
          { phone: `+${bia}`, name: null },
          { phone: `+${caio}`, wa_id: caio, username: 'caio.old', name: 'Caio' },
          { phone: `+${holder}`, wa_id: holder, name: 'Holder' },
          { phone: null, wa_user_id: doraBsuid, name: 'Dora' },
        ])
        .execute();
      const text = (customer: { wa_id: string; user_id?: string; name: string; username?: string }, body: string) =>
        webhookBody({
          contacts: [{ profile: { name: customer.name, ...(customer.username ? { username: customer.username } : {}) }, wa_id: customer.wa_id, ...(customer.user_id ? { user_id: customer.user_id } : {}) }],
          messages: [{ from: customer.wa_id, ...(customer.user_id ? { from_user_id: customer.user_id } : {}), id: `wamid.FILL${mode}${customer.wa_id}${body}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
        });
      const bodies = [
        text({ wa_id: ana, name: 'Ana Souza' }, 'yes please'),
        text({ wa_id: bia, name: 'Bia' }, 'me too'),
        text({ wa_id: caio, user_id: caioBsuid, name: 'Caio', username: 'caio.new' }, 'hello'),
        // Dora's BSUID names her contact; the wa_id her message brings is the holder's, and stays theirs.
        text({ wa_id: holder, user_id: doraBsuid, name: 'Dora' }, 'hi'),
        text({ wa_id: ana, name: 'Ana Souza' }, 'when?'),
      ];
      const since = await lastEventId();
      await processAs(mode, bodies);

      const contact = (column: 'phone' | 'wa_user_id', value: string) => t.ctx.db.selectFrom('contacts').selectAll().where(column, '=', value).executeTakeFirstOrThrow();
      const [anaRow, biaRow, caioRow, holderRow, doraRow] = await Promise.all([
        contact('phone', `+${ana}`), contact('phone', `+${bia}`), contact('phone', `+${caio}`), contact('phone', `+${holder}`), contact('wa_user_id', doraBsuid),
      ]);
      const identity = (row: typeof anaRow) => [row.wa_id, row.phone, row.wa_user_id, row.username, row.name, row.message_count];
      assert.deepEqual(identity(anaRow), [ana, `+${ana}`, null, null, 'Ana (imported)', 2], `${mode}: the imported contact takes its wa_id, keeps its name, and has both messages`);
      assert.deepEqual(identity(biaRow), [bia, `+${bia}`, null, null, 'Bia', 1], `${mode}: a contact without a name takes the profile name`);
      assert.deepEqual(identity(caioRow), [caio, `+${caio}`, caioBsuid, 'caio.new', 'Caio', 1], `${mode}: the BSUID filled in, the username kept current`);
      assert.deepEqual(identity(doraRow), [null, null, doraBsuid, null, 'Dora', 1], `${mode}: never an id another contact holds`);
      assert.deepEqual(identity(holderRow), [holder, `+${holder}`, null, null, 'Holder', 0]);
      assert.equal(await t.ctx.db.selectFrom('contacts').select('id').where('phone', 'in', [`+${ana}`, `+${bia}`, `+${caio}`]).execute().then((rows) => rows.length), 3, 'no contact created twice');

      const announced = (await eventsAfter(since))
        .filter((event) => event.type === 'contact.updated')
        .map((event) => [event.data['id'], event.data['name'], event.data['wa_user_id'], event.data['username'], event.data['message_count']]);
      assert.deepEqual(announced, [
        [anaRow.id, 'Ana (imported)', null, null, 1],
        [biaRow.id, 'Bia', null, null, 1],
        [caioRow.id, 'Caio', caioBsuid, 'caio.new', 1],
        [doraRow.id, 'Dora', doraBsuid, null, 1],
        [anaRow.id, 'Ana (imported)', null, null, 2],
      ], `${mode}: each message announced with its contact as it left it`);
    }
  });

  it('applies reactions and keywords among customers’ other messages arriving together as one after another does', async () => {
    for (const mode of ['together', 'one at a time'] as const) {
      const wamid = (name: string) => `wamid.ALONE.${mode}.${name}`;
      const ana = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
      const [offer] = await queueMessages(t.ctx.db, [{ contact_id: ana.id, status: 'sent', external_id: wamid('offer') }]);
      const [anaFrom, bo] = [ana.phone?.slice(1) ?? '', from()];
      const now = Math.floor(Date.now() / 1000);
      const text = (customer: string, body: string, name: string, secondsAgo: number) =>
        inboundTextWebhookBody({ from: customer, text: body, wamid: wamid(name), name: 'Customer', timestamp: now - secondsAgo });
      const thumbsUp = webhookBody({
        contacts: [{ profile: { name: 'Customer' }, wa_id: anaFrom }],
        messages: [{ from: anaFrom, id: wamid('reaction'), timestamp: String(now - 50), type: 'reaction', reaction: { message_id: wamid('offer'), emoji: '👍' } }],
      });
      const bodies = [
        text(anaFrom, 'hello', 'a1', 60),
        text(bo, 'STOP', 'b1', 55),
        thumbsUp,
        text(bo, 'hi', 'b2', 45),
        text(anaFrom, 'STOP', 'a2', 40),
        text(anaFrom, 'one more thing', 'a3', 30),
        text(anaFrom, 'START', 'a4', 20),
        statusWebhookBody({ wamid: wamid('offer'), status: 'read', timestamp: now - 10 }),
      ];
      const since = await lastEventId();
      await processAs(mode, bodies);

      const anaRow = await t.ctx.db.selectFrom('contacts').selectAll().where('id', '=', ana.id).executeTakeFirstOrThrow();
      const boRow = await t.ctx.db.selectFrom('contacts').selectAll().where('wa_id', '=', bo).executeTakeFirstOrThrow();
      assert.deepEqual([anaRow.wa_id, anaRow.message_count, anaRow.opted_out_at === null], [anaFrom, 5, true], `${mode}: the offer and Ana's four messages, her wa_id taken, STOP then START`);
      assert.deepEqual([boRow.message_count, boRow.opted_out_source], [2, 'keyword'], `${mode}: a new customer's first message a STOP`);
      const read = await messageById(t.ctx.db, offer?.id ?? '');
      assert.equal(read.status, 'read');
      assert.deepEqual(Object.keys((read.metadata as JsonObject)['reactions'] as JsonObject), [ana.id], `${mode}: the reaction kept on the offer`);

      const mine = (await eventsAfter(since)).filter((event) =>
        event.type === 'contact.updated' ? [ana.id, boRow.id].includes(String(event.data['id'])) : [ana.id, boRow.id].includes(String(event.data['contact_id'])),
      );
      const who = (id: unknown) => (id === ana.id ? 'ana' : 'bo');
      assert.deepEqual(
        mine.map((event) =>
          event.type === 'contact.updated'
            ? `${who(event.data['id'])} ${String(event.data['message_count'])} ${event.data['opted_out'] ? 'out' : 'in'}`
            : `${event.type === 'message.created' ? 'created' : 'updated'} ${who(event.data['contact_id'])} ${String(event.data['content'])} ${(event.data['reactions'] as unknown[]).length}`,
        ),
        [
          'created ana hello 0', 'ana 2 in',
          'created bo STOP 0', 'bo 1 out',
          'updated ana Hello from FlowChat 1',
          'created bo hi 0', 'bo 2 out',
          'created ana STOP 0', 'ana 3 out',
          'created ana one more thing 0', 'ana 4 out',
          'created ana START 0', 'ana 5 in',
          'updated ana Hello from FlowChat 1',
        ],
        `${mode}: each customer's messages, reaction and keywords announced in order, with the contact as each left it`,
      );
    }
  });

  it('never has two processors on one database process an event twice', async () => {
    // A second FlowChat on the same database: its own pool on the server, the same session on the embedded engine.
    const second = suite.database.url ? await connect({ databaseUrl: suite.database.url, logger: silentLogger() }) : undefined;
    const other = await startTestApp(second ? Object.assign(second, { url: suite.database.url }) : suite.database);
    try {
      const customers = Array.from({ length: 12 }, () => from());
      const queued = await messagesWithWamids(t.ctx.db, Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`wamid.TWOPROCESSORS${index}`, 'sent' as const])));
      const bodies: string[] = [];
      // Several batches' worth (250 a batch), so that both processors get some.
      for (let index = 0; index < 900; index += 1) {
        const customer = customers[(index - Math.floor(index / 3)) % customers.length];
        bodies.push(
          index % 3 === 2
            ? statusWebhookBody({ wamid: `wamid.TWOPROCESSORS${Math.floor(index / 3) % 20}`, status: Math.floor(index / 3) % 2 === 0 ? 'delivered' : 'read' })
            : webhookBody({
                contacts: [{ profile: { name: 'Busy customer' }, wa_id: customer }],
                messages: [{ from: customer, id: `wamid.TWOPROCESSORSIN${index}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `message ${index}` } }],
              }),
        );
      }
      await t.ctx.whatsapp.processor.drain();
      const since = await lastEventId();
      const ids = await store(bodies);
      const handled = await Promise.all([t.ctx.whatsapp.processor.drain(), other.ctx.whatsapp.processor.drain(), t.ctx.whatsapp.processor.drain(), other.ctx.whatsapp.processor.drain()]);
      assert.equal(handled.reduce((sum, count) => sum + count, 0), bodies.length, 'each event processed by exactly one of them');
      assert.ok(handled.filter((count) => count > 0).length >= 2, `both at work: ${handled.join(', ')}`);
      const rows = await t.ctx.db.selectFrom('whatsapp_webhook_events').select(['processed_at', 'attempts']).where('id', '>=', ids[0] ?? 0).execute();
      assert.equal(rows.length, bodies.length);
      assert.ok(rows.every((row) => row.processed_at !== null && row.attempts === 0), 'all processed, none failed');

      const inbound = bodies.length - bodies.length / 3;
      const created = (await eventsAfter(since)).filter((event) => event.type === 'message.created').map((event) => String(event.data['external_id']));
      assert.equal(created.length, inbound, 'each message announced once');
      assert.equal(new Set(created).size, inbound);
      const contacts = await t.ctx.db.selectFrom('contacts').select(['wa_id', 'message_count']).where('wa_id', 'in', customers).execute();
      assert.equal(contacts.length, customers.length, 'one contact per customer');
      assert.equal(contacts.reduce((sum, contact) => sum + contact.message_count, 0), inbound, 'counted once each');
      for (const message of queued) assert.notEqual((await messageById(t.ctx.db, message.id)).status, 'sent');
    } finally {
      await other.close();
      await second?.close();
    }
  });
});
