import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import type { MessageResource } from '../../src/resources/message.resource.js';
import { bearer } from '../support/app.js';
import { webhookBody } from '../support/cloud-api-stand-in.js';
import { forEachEngine } from '../support/databases.js';
import { eventually, postWebhook, webhooksProcessed } from '../support/whatsapp.js';
import { mediaAppsWithMeta, type MediaApp } from './support/media-apps.js';
import { jpeg, oggOpus, pdf } from './support/samples.js';

let wamidCounter = 0;

function inboundMedia(type: string, body: Record<string, unknown>, from = '5511987654321'): { body: string; wamid: string } {
  wamidCounter += 1;
  const wamid = `wamid.media${Date.now()}${wamidCounter}`;
  return {
    wamid,
    body: webhookBody({
      contacts: [{ profile: { name: 'João Pereira' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: body }],
    }),
  };
}

forEachEngine('inbound media', (suite) => {
  const apps = mediaAppsWithMeta(suite, { FLOWCHAT_MEDIA_RETRY_BASE_MS: '50', FLOWCHAT_MEDIA_RETRY_MAX_MS: '200' });
  const app = (env: Record<string, string> = {}): Promise<MediaApp> => apps.start(env);

  async function messageByWamid(started: MediaApp, wamid: string): Promise<MessageResource> {
    const { presentMessage } = await import('../../src/resources/message.resource.js');
    const row = await started.ctx.db.selectFrom('messages').selectAll().where('external_id', '=', wamid).executeTakeFirstOrThrow();
    return presentMessage(row);
  }

  async function mediaStatus(started: MediaApp, wamid: string, status: string): Promise<MessageResource> {
    return eventually(async () => {
      const message = await messageByWamid(started, wamid);
      return message.media?.status === status ? message : undefined;
    }, 10_000, `media of ${wamid} to be ${status}`);
  }

  it('stores the message at once, then downloads the file with the token, checks its sha256 and announces it ready', async () => {
    const started = await app();
    const bytes = jpeg(30_000);
    apps.meta.files.set('1288317145629427', { bytes, mimeType: 'image/jpeg', sha256: createHash('sha256').update(bytes).digest('base64') });
    const { body, wamid } = inboundMedia('image', { caption: 'A caixa chegou amassada', mime_type: 'image/jpeg', sha256: createHash('sha256').update(bytes).digest('base64'), id: '1288317145629427' });
    assert.equal((await postWebhook(started.app, body, apps.meta.appSecret)).statusCode, 200);
    await webhooksProcessed(started.ctx.db);
    const first = await messageByWamid(started, wamid);
    assert.equal(first.type, 'image');
    assert.equal(first.content, 'A caixa chegou amassada');
    assert.ok(first.media, 'the message carries its file from the start');

    const ready = await mediaStatus(started, wamid, 'ready');
    assert.equal(ready.media?.kind, 'image');
    assert.equal(ready.media?.mime_type, 'image/jpeg');
    assert.equal(ready.media?.size, bytes.length);
    assert.equal(ready.media?.sha256, createHash('sha256').update(bytes).digest('hex'));
    const infoCall = apps.meta.requests.find((request) => request.path === '/v25.0/1288317145629427');
    assert.equal(infoCall?.authorization, `Bearer ${apps.meta.accessToken}`);
    const download = apps.meta.requests.find((request) => request.path === '/files/1288317145629427');
    assert.equal(download?.authorization, `Bearer ${apps.meta.accessToken}`, 'the download also carries the token');

    const served = await started.app.inject({ method: 'GET', url: String(ready.media?.url), headers: bearer(started.token) });
    assert.equal(served.statusCode, 200);
    assert.deepEqual(served.rawPayload, bytes);
    const events = await started.ctx.db.selectFrom('events').select(['type', 'data']).where('type', '=', 'message.updated').execute();
    assert.ok(
      events.some((event) => {
        const data = event.data as { id?: string; media?: { status?: string } };
        return data.id === ready.id && data.media?.status === 'ready';
      }),
      'message.updated announces the ready file',
    );
  });

  it('keeps a voice note’s flag and a document’s filename, and accepts a hex sha256', async () => {
    const started = await app();
    const voice = oggOpus(8_000);
    apps.meta.files.set('voice-1', { bytes: voice, mimeType: 'audio/ogg; codecs=opus' });
    const note = inboundMedia('audio', { mime_type: 'audio/ogg; codecs=opus', sha256: createHash('sha256').update(voice).digest('hex'), id: 'voice-1', voice: true });
    const invoice = pdf('inbound invoice');
    apps.meta.files.set('doc-1', { bytes: invoice, mimeType: 'application/pdf' });
    const doc = inboundMedia('document', { mime_type: 'application/pdf', sha256: createHash('sha256').update(invoice).digest('base64'), id: 'doc-1', filename: 'NF-2231.pdf' });
    await postWebhook(started.app, note.body, apps.meta.appSecret);
    await postWebhook(started.app, doc.body, apps.meta.appSecret);
    await webhooksProcessed(started.ctx.db);
    const voiceMessage = await mediaStatus(started, note.wamid, 'ready');
    assert.equal(voiceMessage.media?.voice, true);
    assert.equal(voiceMessage.content, '[Voice message]');
    const docMessage = await mediaStatus(started, doc.wamid, 'ready');
    assert.equal(docMessage.media?.filename, 'NF-2231.pdf');
    const served = await started.app.inject({ method: 'GET', url: String(docMessage.media?.url), headers: bearer(started.token) });
    assert.match(String(served.headers['content-disposition']), /attachment; filename="NF-2231\.pdf"/);
  });

  it('retries a failed download with backoff, also after a restart, and refuses bytes that do not match the sha256', async () => {
    const bytes = jpeg(5_000);
    const file = { bytes, mimeType: 'image/jpeg', failures: 3 };
    apps.meta.files.set('flaky-1', file);
    const { body, wamid } = inboundMedia('image', { mime_type: 'image/jpeg', sha256: createHash('sha256').update(bytes).digest('base64'), id: 'flaky-1' });
    const first = await app({ FLOWCHAT_MEDIA_RETRY_BASE_MS: '400', FLOWCHAT_MEDIA_RETRY_MAX_MS: '400' });
    await postWebhook(first.app, body, apps.meta.appSecret);
    await webhooksProcessed(first.ctx.db);
    await eventually(async () => file.failures < 3, 5_000, 'a first failed attempt');
    await apps.stop(first);
    assert.equal((await messageByWamid(first, wamid)).media?.status, 'downloading');

    const second = await app();
    const ready = await mediaStatus(second, wamid, 'ready');
    assert.equal(ready.media?.size, bytes.length);
    const row = await second.ctx.db.selectFrom('media').select(['attempts']).where('id', '=', String(ready.media?.id)).executeTakeFirstOrThrow();
    assert.ok(row.attempts >= 4, `tried again until it worked (${row.attempts} attempts)`);

    const other = jpeg(6_000);
    apps.meta.files.set('tampered-1', { bytes: other, mimeType: 'image/jpeg' });
    const tampered = inboundMedia('image', { mime_type: 'image/jpeg', sha256: createHash('sha256').update(jpeg(7_000)).digest('base64'), id: 'tampered-1' });
    await postWebhook(second.app, tampered.body, apps.meta.appSecret);
    await webhooksProcessed(second.ctx.db);
    await eventually(async () => {
      const media = await second.ctx.db.selectFrom('media').select(['attempts', 'last_error']).where('meta_media_id', '=', 'tampered-1').executeTakeFirst();
      return media && media.attempts >= 2 ? media : undefined;
    }, 5_000, 'the mismatching file to be retried');
    assert.equal((await messageByWamid(second, tampered.wamid)).media?.status, 'downloading', 'bytes that do not match are never stored');
  });

  it('fails a file after the retry window, and a file over its kind’s limit without downloading it', async () => {
    const started = await app({ FLOWCHAT_MEDIA_RETRY_WINDOW_SECONDS: '1' });
    apps.meta.files.set('down-1', { bytes: jpeg(), mimeType: 'image/jpeg', failures: 1_000 });
    const down = inboundMedia('image', { mime_type: 'image/jpeg', id: 'down-1' });
    const big = jpeg(6 * 1024 * 1024);
    apps.meta.files.set('big-1', { bytes: big, mimeType: 'image/jpeg' });
    const tooBig = inboundMedia('image', { mime_type: 'image/jpeg', id: 'big-1' });
    await postWebhook(started.app, down.body, apps.meta.appSecret);
    await postWebhook(started.app, tooBig.body, apps.meta.appSecret);
    await webhooksProcessed(started.ctx.db);
    const failed = await mediaStatus(started, down.wamid, 'failed');
    assert.equal(failed.type, 'image', 'the message stays, only its file failed');
    await mediaStatus(started, tooBig.wamid, 'failed');
    assert.equal(apps.meta.requests.filter((request) => request.path === '/files/big-1').length, 0, 'a file over 5 MB is not downloaded');
  });
});
