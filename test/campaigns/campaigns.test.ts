import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { CampaignWorker } from '../../src/campaigns/campaign-worker.js';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { campaignMessages, createContacts, settleAll, uniqueTag } from './fixtures.js';

interface CampaignBody {
  id: string;
  name: string;
  status: string;
  total: number;
  skipped: number;
  counts: Record<'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled', number>;
}

interface RecipientBody {
  contact_id: string;
  name: string | null;
  status: string;
  reason: string | null;
  detail: string | null;
}

forEachEngine('campaigns', (suite) => {
  let test: TestApp;
  let headers: { authorization: string };
  let worker: CampaignWorker;

  before(async () => {
    test = await startTestApp(suite.database);
    headers = bearer((await signedInUser(test.ctx, 'agent')).token);
    const found = test.ctx.workers.find((candidate) => candidate instanceof CampaignWorker);
    assert.ok(found instanceof CampaignWorker);
    worker = found;
  });
  after(async () => test.close());

  async function create(payload: object): Promise<CampaignBody> {
    const response = await test.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers, payload });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<CampaignBody>();
  }

  async function get(id: string): Promise<CampaignBody> {
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}`, headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<CampaignBody>();
  }

  async function act(id: string, action: string, expected = 200): Promise<CampaignBody> {
    const response = await test.app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/${action}`, headers });
    assert.equal(response.statusCode, expected, response.body);
    return response.json<CampaignBody>();
  }

  async function recipients(id: string, query = ''): Promise<{ items: RecipientBody[]; next_cursor: string | null }> {
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}/recipients${query}`, headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  }

  const sum = (counts: CampaignBody['counts']) => Object.values(counts).reduce((total, n) => total + n, 0);
  const template = (components?: object[]) => ({ name: 'spring_sale', language: 'pt_BR', ...(components ? { components } : {}) });

  it('enqueues one pending template message per recipient and answers with the total', async () => {
    const tag = uniqueTag('e');
    const contacts = await createContacts(suite.database, [{ tags: [tag] }, { tags: [tag] }, { tags: [tag], optedOut: true }, { tags: ['other'] }]);
    const campaign = await create({ name: 'Spring', template: template(), audience: { tags: [tag] } });
    assert.equal(campaign.status, 'running');
    assert.equal(campaign.total, 2);
    assert.deepEqual(campaign.counts, { pending: 2, sent: 0, delivered: 0, read: 0, failed: 0, canceled: 0 });

    const messages = await campaignMessages(suite.database, campaign.id);
    assert.deepEqual(messages.map((message) => message.contact_id).sort(), [contacts[0]?.id, contacts[1]?.id].sort());
    for (const message of messages) {
      assert.equal(message.type, 'template');
      assert.equal(message.direction, 'outbound');
      assert.equal(message.status, 'pending');
      assert.deepEqual(message.template, { name: 'spring_sale', language: 'pt_BR' });
    }

    const audit = await test.ctx.db.selectFrom('audit_log').selectAll().where('target_id', '=', campaign.id).execute();
    assert.deepEqual(audit.map((entry) => entry.action), ['campaign.created']);
    const events = await test.ctx.db.selectFrom('events').selectAll().where('type', '=', 'campaign.updated').execute();
    assert.ok(events.some((event) => (event.data as { id?: string }).id === campaign.id));
  });

  it('resolves per-contact variables in SQL and skips contacts that lack one, with the reason', async () => {
    const tag = uniqueTag('v');
    const [dana, odd, noCity, noName] = await createContacts(suite.database, [
      { name: 'Dana', tags: [tag], metadata: { city: 'Recife' } },
      { name: 'Zé "the \\ quote" 🎉', tags: [tag], metadata: { city: 'São Paulo\nnorth' } },
      { name: 'Nadia', tags: [tag], metadata: { city: '  ' } },
      { name: null, tags: [tag], metadata: {} },
    ]);
    const campaign = await create({
      name: 'Vars',
      template: template([
        { type: 'body', parameters: [{ type: 'text', text: 'Hi {{ name }}!' }, { type: 'text', text: '{{metadata.city}} / {{name}}' }] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'CITY:{{metadata.city}}' }] },
      ]),
      audience: { tags: [tag] },
    });
    assert.equal(campaign.total, 2);
    assert.equal(campaign.skipped, 2);

    const byContact = new Map((await campaignMessages(suite.database, campaign.id)).map((message) => [message.contact_id, message.template]));
    const expected = (name: string, city: string) => ({
      name: 'spring_sale',
      language: 'pt_BR',
      components: [
        { type: 'body', parameters: [{ type: 'text', text: `Hi ${name}!` }, { type: 'text', text: `${city} / ${name}` }] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `CITY:${city}` }] },
      ],
    });
    assert.deepEqual(byContact.get(dana?.id ?? ''), expected('Dana', 'Recife'));
    assert.deepEqual(byContact.get(odd?.id ?? ''), expected('Zé "the \\ quote" 🎉', 'São Paulo\nnorth'));

    const skipped = await recipients(campaign.id, '?status=skipped');
    assert.deepEqual(
      skipped.items.map((item) => [item.contact_id, item.status, item.reason, item.detail]).sort(),
      [
        [noCity?.id, 'skipped', 'missing_variable', 'metadata.city'],
        [noName?.id, 'skipped', 'missing_variable', 'name, metadata.city'],
      ].sort(),
    );
    const all = await recipients(campaign.id);
    assert.equal(all.items.length, 4);
    assert.deepEqual(all.items.map((item) => item.contact_id), [...all.items.map((item) => item.contact_id)].sort());
  });

  it('refuses unknown variables, bad templates and a missing audience with a 400, creating nothing', async () => {
    const tag = uniqueTag('r');
    await createContacts(suite.database, [{ tags: [tag] }]);
    const before = (await test.ctx.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    for (const payload of [
      { name: 'x', template: template([{ type: 'body', parameters: [{ type: 'text', text: '{{1}}' }] }]), audience: { tags: [tag] } },
      { name: 'x', template: template([{ type: 'body', parameters: [{ type: 'text', text: '{{surname}}' }] }]), audience: { tags: [tag] } },
      { name: 'x', template: { name: 'Bad Name', language: 'en_US' }, audience: { tags: [tag] } },
      { name: 'x', template: { name: 'ok', language: 'english please' }, audience: { tags: [tag] } },
      { name: 'x', template: template() },
      { name: '', template: template(), audience: { tags: [tag] } },
      { name: '   ', template: template(), audience: { tags: [tag] } },
      { name: 'x', template: template(), audience: { tags: [tag] }, scheduled_at: 'tomorrow' },
    ]) {
      const response = await test.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers, payload });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
    }
    const unknownSegment = await test.app.inject({
      method: 'POST', url: '/api/v1/campaigns', headers, payload: { name: 'x', template: template(), segment_id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknownSegment.statusCode, 404);
    const after = (await test.ctx.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    assert.equal(after, before);
  });

  it('pauses, resumes and cancels the messages no sender has claimed, and the counts always add up to the total', async () => {
    const tag = uniqueTag('p');
    await createContacts(suite.database, Array.from({ length: 6 }, () => ({ tags: [tag] })));
    const campaign = await create({ name: 'Lifecycle', template: template(), audience: { tags: [tag] } });
    const [inFlight, sent] = await campaignMessages(suite.database, campaign.id);
    // One message is being sent (claimed), one already went out.
    await sql`UPDATE messages SET sending_at = now() WHERE id = ${inFlight?.id}`.execute(test.ctx.db);
    await sql`UPDATE messages SET status = 'sent', sent_at = now() WHERE id = ${sent?.id}`.execute(test.ctx.db);

    const paused = await act(campaign.id, 'pause');
    assert.equal(paused.status, 'paused');
    const held = await test.ctx.db.selectFrom('messages').select(['id', 'hold_reason']).where('campaign_id', '=', campaign.id).where('status', '=', 'pending').execute();
    assert.deepEqual(held.map((row) => row.hold_reason).sort(), ['campaign_paused', 'campaign_paused', 'campaign_paused', 'campaign_paused', null]);
    assert.equal((await recipients(campaign.id, '?status=pending')).items.filter((item) => item.reason === 'campaign_paused').length, 4);
    assert.equal((await act(campaign.id, 'pause')).status, 'paused', 'pausing twice changes nothing');

    const resumed = await act(campaign.id, 'resume');
    assert.equal(resumed.status, 'running');
    const released = await test.ctx.db.selectFrom('messages').select('hold_reason').where('campaign_id', '=', campaign.id).where('hold_reason', 'is not', null).execute();
    assert.equal(released.length, 0);

    const canceled = await act(campaign.id, 'cancel');
    assert.equal(canceled.status, 'canceled');
    assert.deepEqual(canceled.counts, { pending: 1, sent: 1, delivered: 0, read: 0, failed: 0, canceled: 4 });
    assert.equal(sum(canceled.counts), canceled.total);

    // The message in flight settles normally after the cancel.
    await sql`UPDATE messages SET status = 'delivered', sending_at = NULL WHERE id = ${inFlight?.id}`.execute(test.ctx.db);
    const settled = await get(campaign.id);
    assert.deepEqual(settled.counts, { pending: 0, sent: 1, delivered: 1, read: 0, failed: 0, canceled: 4 });
    assert.equal(sum(settled.counts), settled.total);

    assert.equal((await act(campaign.id, 'pause', 422)).status, undefined);
    await act(campaign.id, 'resume', 422);
    assert.equal((await act(campaign.id, 'cancel')).status, 'canceled', 'canceling twice changes nothing');

    const actions = await test.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', campaign.id).orderBy('id').execute();
    assert.deepEqual(actions.map((entry) => entry.action), ['campaign.created', 'campaign.paused', 'campaign.resumed', 'campaign.canceled']);
    assert.equal((await test.app.inject({ method: 'POST', url: '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/pause', headers })).statusCode, 404);
    assert.equal((await test.app.inject({ method: 'GET', url: '/api/v1/campaigns/nope', headers })).statusCode, 404);
  });

  it('holds a scheduled campaign until its time, then the worker starts it', async () => {
    const tag = uniqueTag('s');
    await createContacts(suite.database, [{ tags: [tag] }, { tags: [tag] }]);
    const at = new Date(Date.now() + 3600_000);
    const campaign = await create({ name: 'Later', template: template(), audience: { tags: [tag] }, scheduled_at: at.toISOString() });
    assert.equal(campaign.status, 'scheduled');
    const messages = await campaignMessages(suite.database, campaign.id);
    assert.ok(messages.every((message) => message.not_before?.getTime() === at.getTime()));
    assert.ok((await recipients(campaign.id)).items.every((item) => item.reason === 'scheduled'));

    await worker.tick();
    assert.equal((await get(campaign.id)).status, 'scheduled');

    // Paused while scheduled, it resumes into `scheduled` again.
    assert.equal((await act(campaign.id, 'pause')).status, 'paused');
    assert.equal((await act(campaign.id, 'resume')).status, 'scheduled');

    await sql`UPDATE campaigns SET scheduled_at = now() - interval '1 second' WHERE id = ${campaign.id}`.execute(test.ctx.db);
    await sql`UPDATE messages SET not_before = now() - interval '1 second' WHERE campaign_id = ${campaign.id}`.execute(test.ctx.db);
    await worker.tick();
    const started = await get(campaign.id);
    assert.equal(started.status, 'running');
    const events = await test.ctx.db.selectFrom('events').select('data').where('type', '=', 'campaign.updated').orderBy('id', 'desc').limit(5).execute();
    assert.ok(events.some((event) => (event.data as { id?: string; status?: string }).id === campaign.id && (event.data as { status?: string }).status === 'running'));

    await settleAll(suite.database, campaign.id, 'sent');
    await worker.tick();
    assert.equal((await get(campaign.id)).status, 'completed');
  });

  it('starts at once when scheduled in the past, and completes at once with nobody to reach', async () => {
    const tag = uniqueTag('n');
    await createContacts(suite.database, [{ tags: [tag] }]);
    const past = await create({ name: 'Past', template: template(), audience: { tags: [tag] }, scheduled_at: new Date(Date.now() - 60_000).toISOString() });
    assert.equal(past.status, 'running');
    const empty = await create({ name: 'Empty', template: template(), audience: { tags: [uniqueTag('none')] } });
    assert.equal(empty.status, 'completed');
    assert.equal(empty.total, 0);
  });

  it('completes a running campaign when nothing is left pending, noticed by the status path', async () => {
    const tag = uniqueTag('c');
    await createContacts(suite.database, [{ tags: [tag] }, { tags: [tag] }, { tags: [tag] }]);
    const campaign = await create({ name: 'Done', template: template(), audience: { tags: [tag] } });
    await settleAll(suite.database, campaign.id, 'delivered');
    const done = await get(campaign.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.counts, { pending: 0, sent: 0, delivered: 3, read: 0, failed: 0, canceled: 0 });
  });

  it('adds campaign messages to the contacts’ counters in the background', async () => {
    const tag = uniqueTag('k');
    const contacts = await createContacts(suite.database, [{ tags: [tag] }, { tags: [tag] }, { tags: [tag] }]);
    const campaign = await create({ name: 'Counters', template: template(), audience: { tags: [tag] } });
    // Batches of two: the three contacts take two batches, and the cursor carries over.
    const smallBatches = new CampaignWorker({ ...test.ctx, wakeSender: () => test.ctx.whatsapp.sender.wake() }, { counterBatch: 2 });
    await smallBatches.tick();
    const rows = await test.ctx.db.selectFrom('contacts').select(['id', 'message_count', 'last_message_at']).where('id', 'in', contacts.map((c) => c.id)).execute();
    assert.ok(rows.every((row) => row.message_count === 1 && row.last_message_at !== null));
    await smallBatches.tick();
    const again = await test.ctx.db.selectFrom('contacts').select('message_count').where('id', 'in', contacts.map((c) => c.id)).execute();
    assert.ok(again.every((row) => row.message_count === 1), 'counted once');
    const settled = await test.ctx.db.selectFrom('campaigns').select('counters_settled').where('id', '=', campaign.id).executeTakeFirstOrThrow();
    assert.equal(settled.counters_settled, true);
  });

  it('announces changing counts with campaign.updated at most once a second per campaign', async () => {
    const tag = uniqueTag('a');
    await createContacts(suite.database, [{ tags: [tag] }, { tags: [tag] }, { tags: [tag] }]);
    const campaign = await create({ name: 'Announced', template: template(), audience: { tags: [tag] } });
    const announcements = async () => {
      const events = await test.ctx.db.selectFrom('events').select('data').where('type', '=', 'campaign.updated').orderBy('id').execute();
      return events.map((event) => event.data as unknown as CampaignBody).filter((data) => data.id === campaign.id);
    };
    const [first, second] = await campaignMessages(suite.database, campaign.id);
    await sql`UPDATE messages SET status = 'sent' WHERE id = ${first?.id}`.execute(test.ctx.db);
    await sleep(1_000);
    await worker.tick();
    const afterFirst = await announcements();
    assert.deepEqual(afterFirst.at(-1)?.counts, { pending: 2, sent: 1, delivered: 0, read: 0, failed: 0, canceled: 0 });

    await sql`UPDATE messages SET status = 'sent' WHERE id = ${second?.id}`.execute(test.ctx.db);
    await worker.tick();
    await worker.tick();
    assert.equal((await announcements()).length, afterFirst.length, 'not again within the second');
    await sleep(1_000);
    await worker.tick();
    assert.equal((await announcements()).at(-1)?.counts.sent, 2);
    await worker.tick();
    assert.equal((await announcements()).length, afterFirst.length + 1, 'unchanged counts are not announced');
  });

  it('lists campaigns newest first with counts, paged by cursor', async () => {
    const first = await test.app.inject({ method: 'GET', url: '/api/v1/campaigns?limit=2', headers });
    assert.equal(first.statusCode, 200, first.body);
    const page = first.json<{ items: CampaignBody[]; next_cursor: string | null }>();
    assert.equal(page.items.length, 2);
    assert.ok(page.items.every((item) => sum(item.counts) === item.total));
    assert.ok(page.next_cursor);
    const second = await test.app.inject({ method: 'GET', url: `/api/v1/campaigns?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`, headers });
    const next = second.json<{ items: CampaignBody[] }>();
    assert.ok(next.items.every((item) => !page.items.some((seen) => seen.id === item.id)));
    const bad = await test.app.inject({ method: 'GET', url: '/api/v1/campaigns?cursor=forged', headers });
    assert.equal(bad.statusCode, 400);
  });

  it('pages the recipient report by cursor and exports it as CSV', async () => {
    const tag = uniqueTag('x');
    await createContacts(suite.database, [
      ...Array.from({ length: 5 }, (_, index) => ({ name: index === 0 ? '=HYPERLINK("x")' : `R${index}`, tags: [tag], metadata: { city: 'Recife' } })),
      { name: 'Skip, Me', tags: [tag] },
    ]);
    const campaign = await create({
      name: 'Report', template: template([{ type: 'body', parameters: [{ type: 'text', text: '{{metadata.city}}' }] }]), audience: { tags: [tag] },
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await recipients(campaign.id, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((item) => item.contact_id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
    assert.deepEqual(seen, [...seen].sort());

    const csv = await test.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}/recipients.csv`, headers });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    assert.equal(lines[0], 'contact_id,phone,name,status,reason,detail,error_code,error_message,message_id,sent_at,delivered_at,read_at,failed_at');
    assert.equal(lines.length, 7);
    assert.ok(lines.some((line) => line.includes(`"'=HYPERLINK(""x"")"`)), 'formulas are defused');
    assert.ok(lines.some((line) => line.includes('"Skip, Me",skipped,missing_variable,metadata.city')));
    assert.ok(lines.slice(1).every((line) => /,\+1\d+,/.test(line)), 'phones stay as they are');

    const wrongStatus = await test.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}/recipients?status=received`, headers });
    assert.equal(wrongStatus.statusCode, 400);
  });
});
