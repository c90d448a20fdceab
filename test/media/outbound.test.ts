import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bearer } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { validateSendRequest } from '../support/meta-schema.js';
import { createContact, eventually, messageInStatus } from '../support/whatsapp.js';
import { mediaAppsWithMeta, type MediaApp } from './support/media-apps.js';
import { jpeg, oggOpus, pdf, png } from './support/samples.js';

forEachEngine('outbound media', (suite) => {
  const apps = mediaAppsWithMeta(suite, { WHATSAPP_RATE_LIMIT: '1000' });
  const app = (): Promise<MediaApp> => apps.start();

  it('uploads the file to the number once, sends it by Meta’s id with its caption, and reuses the id', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const [image] = await t.upload([png(), 'box.png']);
    const send = await t.send(contact.id, { type: 'image', media_id: image.id, caption: 'Replacement box, shipping today' });
    assert.equal(send.statusCode, 202, send.body);
    const queued = send.json();
    assert.equal(queued.status, 'pending');
    assert.equal(queued.content, 'Replacement box, shipping today');
    assert.equal(queued.media.id, image.id);
    assert.equal(queued.media.kind, 'image');
    assert.equal(queued.media.status, 'ready');

    await messageInStatus(t.ctx.db, queued.id, 'sent');
    const uploads = apps.meta.uploads();
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]?.authorization, `Bearer ${apps.meta.accessToken}`);
    const form = uploads[0]?.body.toString('latin1') ?? '';
    assert.match(form, /name="messaging_product"\r\n\r\nwhatsapp\r\n/);
    assert.match(form, /name="type"\r\n\r\nimage\/png\r\n/);
    assert.match(form, /name="file"; filename="box.png"/);
    assert.ok(uploads[0]?.body.includes(png()), 'the file’s bytes are uploaded');
    const [sent] = apps.meta.sends();
    assert.deepEqual(validateSendRequest(sent).errors, [], 'valid against Meta’s schema');
    assert.equal(sent?.['type'], 'image');
    assert.deepEqual(sent?.['image'], { id: 'meta-upload-1', caption: 'Replacement box, shipping today' });

    const again = await t.send(contact.id, { type: 'image', media_id: image.id });
    assert.equal(again.json().content, '[Image]');
    await messageInStatus(t.ctx.db, again.json().id, 'sent');
    assert.equal(apps.meta.uploads().length, 1, 'the same file goes to the same number once');
    assert.deepEqual(apps.meta.sends()[1]?.['image'], { id: 'meta-upload-1' });
    const stored = await t.ctx.db.selectFrom('media_uploads').selectAll().where('media_id', '=', image.id).execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.phone_number_id, apps.meta.phoneNumberId);
    assert.ok((stored[0]?.expires_at.getTime() ?? 0) > Date.now() + 29 * 86_400_000, 'kept for Meta’s 30 days');
  });

  it('sends a document with its filename and a voice note without a caption, in bulk too', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 2 });
    const [invoice, voice] = await t.upload([pdf(`bulk ${Date.now()}`), 'upload.pdf'], [oggOpus(3_000), 'voice.ogg']);
    const bulk = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/bulk',
      headers: bearer(t.token),
      payload: { messages: [{ contact_id: contact.id, type: 'document', media_id: invoice.id, filename: 'INV-0193.pdf', caption: 'Your invoice' }, { contact_id: contact.id, type: 'audio', media_id: voice.id }] },
    });
    assert.equal(bulk.statusCode, 202, bulk.body);
    const [doc, audio] = bulk.json().messages;
    assert.equal(doc.media.filename, 'INV-0193.pdf');
    await messageInStatus(t.ctx.db, doc.id, 'sent');
    await messageInStatus(t.ctx.db, audio.id, 'sent');
    const sends = apps.meta.sends();
    const docSend = sends.find((send) => send['biz_opaque_callback_data'] === doc.id);
    const audioSend = sends.find((send) => send['biz_opaque_callback_data'] === audio.id);
    assert.deepEqual((docSend?.['document'] as Record<string, unknown>)['filename'], 'INV-0193.pdf');
    assert.deepEqual((docSend?.['document'] as Record<string, unknown>)['caption'], 'Your invoice');
    assert.deepEqual(Object.keys(audioSend?.['audio'] as Record<string, unknown>), ['id']);
  });

  it('checks the body before storing anything: caption rules, unknown files, the wrong kind, the window', async () => {
    const t = await app();
    const open = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const closed = await createContact(t.ctx.db, { inboundHoursAgo: 30 });
    const [document, voice] = await t.upload([pdf(`rules ${Date.now()}`), 'a.pdf'], [oggOpus(2_000), 'v.ogg']);

    const captioned = await t.send(open.id, { type: 'audio', media_id: voice.id, caption: 'listen' });
    assert.equal(captioned.statusCode, 400);
    assert.equal(captioned.json().error.details[0].field, 'caption');
    const long = await t.send(open.id, { type: 'document', media_id: document.id, caption: 'x'.repeat(1025) });
    assert.equal(long.statusCode, 400);
    const unknown = await t.send(open.id, { type: 'image', media_id: '00000000-0000-4000-8000-000000000000' });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'media_not_found');
    const mismatch = await t.send(open.id, { type: 'image', media_id: document.id });
    assert.equal(mismatch.statusCode, 422);
    assert.equal(mismatch.json().error.code, 'media_type_mismatch');
    const outside = await t.send(closed.id, { type: 'document', media_id: document.id });
    assert.equal(outside.statusCode, 422);
    assert.equal(outside.json().error.code, 'window_closed');
    const count = await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('contact_id', 'in', [open.id, closed.id]).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'nothing stored');
  });

  it('gives template header media by FlowChat id to Meta by its own id', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 50 });
    const [header] = await t.upload([png(12, [1, 2, 3]), 'header.png']);
    const uploadsBefore = apps.meta.uploads().length;
    const template = { name: 'order_shipped', language: 'en_US', components: [{ type: 'header', parameters: [{ type: 'image', image: { media_id: header.id } }] }, { type: 'body', parameters: [{ type: 'text', text: 'Dana' }] }] };
    const send = await t.send(contact.id, { type: 'template', template });
    assert.equal(send.statusCode, 202, send.body);
    await messageInStatus(t.ctx.db, send.json().id, 'sent');
    assert.equal(apps.meta.uploads().length - uploadsBefore, 1);
    const sent = apps.meta.sends().find((body) => body['biz_opaque_callback_data'] === send.json().id);
    const components = (sent?.['template'] as { components: Array<{ type: string; parameters: unknown[] }> }).components;
    assert.deepEqual(components.find((component) => component.type === 'header')?.parameters, [{ type: 'image', image: { id: `meta-upload-${apps.meta.uploads().length}` } }]);
  });

  it('retries a failed upload and still sends the message exactly once', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const [photo] = await t.upload([jpeg(3_000 + Math.floor(Math.random() * 1000)), 'retry.jpg']);
    const uploadsBefore = apps.meta.uploads().length;
    apps.meta.uploadFailures = 2;
    const send = await t.send(contact.id, { type: 'image', media_id: photo.id });
    const message = await messageInStatus(t.ctx.db, send.json().id, 'sent', 20_000);
    assert.equal(apps.meta.uploads().length - uploadsBefore, 3, 'two failed uploads, then one that worked');
    await eventually(async () => true);
    assert.equal(apps.meta.sends().filter((body) => body['biz_opaque_callback_data'] === message.id).length, 1, 'sent once');
    assert.equal(message.hold_reason, null);
  });
});
