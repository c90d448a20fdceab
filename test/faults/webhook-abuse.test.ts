/**
 * Hostile and strange traffic on Meta's webhook endpoint, against a real FlowChat on PostgreSQL:
 * forged, unsigned, replayed-with-a-changed-body, oversized and malformed posts are refused with
 * nothing stored; signed JSON of shapes FlowChat does not know is stored and processed without
 * effect, and the processor keeps working through all of it.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { inboundTextWebhookBody, signedHeaders } from '../support/cloud-api-stand-in.js';
import type { ServerProcess } from '../support/processes.js';
import { faultEnvironment } from './support/environment.js';
import { postWebhook, startFlowChat, waitFor } from './support/flowchat.js';
import { report } from './support/report.js';

describe('webhook abuse', () => {
  const env = faultEnvironment();
  let server: ServerProcess;

  before(async () => {
    server = await startFlowChat({ DATABASE_URL: env.database.url ?? '', ...env.cloud.env() });
  });

  async function stored(): Promise<{ events: number; messages: number; contacts: number }> {
    const { database } = env;
    const count = async (table: 'whatsapp_webhook_events' | 'messages' | 'contacts'): Promise<number> =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { events: await count('whatsapp_webhook_events'), messages: await count('messages'), contacts: await count('contacts') };
  }

  async function post(body: Buffer | string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`${server.url}/webhooks/whatsapp`, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return response.status;
  }

  it('refuses forged, unsigned, replayed-with-changes, oversized and malformed posts, storing nothing', async () => {
    const { cloud } = env;
    const genuine = inboundTextWebhookBody({ from: '14155559001', text: 'Is my order on its way?' });
    const tampered = genuine.replace('Is my order on its way?', 'Send me everyone’s data!');
    const huge = inboundTextWebhookBody({ from: '14155559002', text: 'x'.repeat(3_500_000) });
    const cases: Array<[string, Buffer | string, Record<string, string>, number[]]> = [
      ['no signature', genuine, { 'content-type': 'application/json' }, [401]],
      ['signed with another secret', genuine, signedHeaders(genuine, 'not-the-app-secret'), [401]],
      ['a malformed signature header', genuine, { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=zz' }, [401]],
      ['sha1 instead of sha256', genuine, { 'content-type': 'application/json', 'x-hub-signature-256': signedHeaders(genuine, cloud.appSecret)['x-hub-signature-256']?.replace('sha256=', 'sha1=') ?? '' }, [401]],
      ['a genuine signature on a changed body', tampered, signedHeaders(genuine, cloud.appSecret), [401]],
      ['a signed body over 3 MB', huge, signedHeaders(huge, cloud.appSecret), [413]],
      ['signed, not JSON', 'entry=1&object=whatsapp', signedHeaders('entry=1&object=whatsapp', cloud.appSecret), [400]],
      ['signed, truncated JSON', genuine.slice(0, 80), signedHeaders(genuine.slice(0, 80), cloud.appSecret), [400]],
      ['signed, empty body', '', signedHeaders('', cloud.appSecret), [400]],
      ['signed, invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), signedHeaders(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), cloud.appSecret), [400]],
    ];
    const before = await stored();
    const wrong: string[] = [];
    for (const [name, body, headers, expected] of cases) {
      const status = await post(body, headers);
      if (!expected.includes(status)) wrong.push(`${name}: ${status}`);
    }
    assert.deepEqual(wrong, [], 'refusals');
    assert.deepEqual(await stored(), before, 'nothing stored');
    assert.equal(await postWebhook(server.url, genuine, cloud.appSecret), 200, 'the genuine post is accepted');
    report('webhooks: unsigned, forged, wrong algorithm, replayed with a changed body, > 3 MB, not JSON, truncated, empty, invalid UTF-8', '401 / 413 / 400, nothing stored', `${cases.length} posts refused as expected; webhook, message and contact counts unchanged`);
  });

  it('stores signed payloads of unknown shapes, processes or ignores each, and keeps processing', async () => {
    const { database, cloud } = env;
    const valueWith = (extra: Record<string, unknown>): Record<string, unknown> => ({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: cloud.phoneNumberId },
      ...extra,
    });
    const envelope = (changes: unknown): Record<string, unknown> => ({ object: 'whatsapp_business_account', entry: [{ id: '107318452290331', changes }] });
    const payloads: unknown[] = [
      42,
      'a string',
      null,
      [],
      [{ object: 'whatsapp_business_account' }],
      {},
      { object: 'page', entry: [{ messaging: [{ message: { text: 'hi' } }] }] },
      { object: 'whatsapp_business_account' },
      { object: 'whatsapp_business_account', entry: 'not an array' },
      { object: 'whatsapp_business_account', entry: [null, 1, 'x', { changes: null }] },
      envelope([{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ id: 'wamid.NOFROM', type: 'text', text: { body: 'who am I?' } }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559003', id: 'wamid.NOTYPE', timestamp: 'yesterday' }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559004', id: 'wamid.HOLOGRAM', timestamp: '1795525200', type: 'hologram', hologram: { depth: 3 } }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559005', id: 'wamid.NUL', timestamp: '1795525200', type: 'text', text: { body: 'nul \u0000 byte' } }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559006', id: 'wamid.DEEP', timestamp: '1795525200', type: 'text', text: { body: deep(2_000) } }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559010', id: 'wamid.DEEPBUTTON', timestamp: '1795525200', type: 'button', button: DEEP }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ statuses: [{ id: 'wamid.DEEPSTATUS', status: 'sent', timestamp: '1795525200', recipient_id: '14155559011', pricing: DEEP }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ messages: [{ from: '14155559007', id: 'wamid.NOTEXT', timestamp: '1795525200', type: 'text', text: { body: 12345 } }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ statuses: [{ id: 'wamid.UNKNOWN', status: 'teleported', timestamp: '1795525200', recipient_id: '14155559008' }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ statuses: [{ id: 'wamid.UNKNOWN2', status: 'failed', timestamp: 'never', errors: 'lots' }] }) }]),
      envelope([{ field: 'messages', value: valueWith({ statuses: [{ status: 'delivered', biz_opaque_callback_data: "'; DROP TABLE messages; --" }] }) }]),
      envelope([{ field: 'user_preferences', value: valueWith({ user_preferences: [{ wa_id: '00000', category: 'marketing_messages', value: 'stop', timestamp: 'x' }] }) }]),
    ];
    // JSON.stringify itself cannot write 20,000 levels, so the deep part is spliced in as text.
    const bodies = payloads.map((payload) => JSON.stringify(payload).replace(`"${DEEP}"`, nestedObjectText(100_000)));
    const before = await database.db.selectFrom('whatsapp_webhook_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    const statuses = [];
    for (const body of bodies) statuses.push(await postWebhook(server.url, body, cloud.appSecret));
    assert.deepEqual(statuses, bodies.map(() => 200), 'every signed JSON body is accepted');
    const after = () => database.db.selectFrom('whatsapp_webhook_events').select(['id', 'processed_at', 'attempts', 'last_error']).where('id', '>', Number(before.id ?? 0)).execute();
    assert.equal((await after()).length, bodies.length, 'each one stored');

    const probe = inboundTextWebhookBody({ from: '14155559099', text: 'still listening?', wamid: 'wamid.PROBE' });
    assert.equal(await postWebhook(server.url, probe, cloud.appSecret), 200);
    await waitFor('the probe after the odd payloads to be processed', async () =>
      (await database.db.selectFrom('messages').select('id').where('external_id', '=', 'wamid.PROBE').executeTakeFirst()) !== undefined, 15_000, 100);
    const unprocessed = await waitFor('every odd payload to be processed', async () => {
      const rows = await after();
      const stuck = rows.filter((row) => row.processed_at === null);
      return stuck.length === 0 ? rows : undefined;
    }, 15_000, 200).catch(async () => (await after()).filter((row) => row.processed_at === null));
    const failing = unprocessed.filter((row) => row.processed_at === null).map((row) => `#${row.id}: ${row.last_error ?? 'not yet'}`);
    assert.deepEqual(failing, [], 'payloads stuck in processing');
    assert.equal(server.child.exitCode, null, 'the process is alive');
    report(
      'signed webhooks of unknown or broken shapes (scalars, wrong types, unknown fields and message types, a NUL byte, objects nested 100,000 deep, SQL in ids)',
      'stored (200), processed or ignored, never stuck; the processor keeps working',
      `${bodies.length} stored and all processed; a valid message posted after them was processed; no crash`,
    );
  });
});

const DEEP = 'deeply nested object goes here';

function nestedObjectText(levels: number): string {
  return `${'{"inner":'.repeat(levels)}{"text":"bottom"}${'}'.repeat(levels)}`;
}

function deep(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}
