import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';
import { multipartBody, uploadMedia } from './support/media-client.js';
import { gif, jpeg, mp4, oggOpus, pdf, png, webp } from './support/samples.js';

function storedFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === '.spool') continue;
      if (entry.isDirectory()) walk(path.join(folder, entry.name));
      else found.push(entry.name);
    }
  };
  walk(dir);
  return found;
}

forEachEngine('media upload and serving', (suite) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowchat-media-'));
  const t = suiteApp(suite, { FLOWCHAT_MEDIA_DIR: dir });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('POST /api/v1/media', () => {
    it('decides the kind from the bytes and answers the file resource', async () => {
      const { token } = await signedInUser(t.ctx);
      const cases = [
        { bytes: png(), name: 'photo.png', kind: 'image', mime: 'image/png' },
        { bytes: jpeg(), name: 'photo.jpg', kind: 'image', mime: 'image/jpeg' },
        { bytes: mp4(), name: 'clip.mp4', kind: 'video', mime: 'video/mp4' },
        { bytes: oggOpus(), name: 'voice.ogg', kind: 'audio', mime: 'audio/ogg' },
        { bytes: pdf(), name: 'INV-0193.pdf', kind: 'document', mime: 'application/pdf' },
        { bytes: Buffer.from('Order A12345: 2 boxes\n'), name: 'notes.txt', kind: 'document', mime: 'text/plain' },
        { bytes: webp(), name: 'sticker.webp', kind: 'sticker', mime: 'image/webp' },
      ];
      for (const sample of cases) {
        // The client's name and type say nothing: a PDF called .png sent as image/png is still a document.
        const response = await uploadMedia(t.app, token, sample.bytes, sample.name, 'image/png');
        assert.equal(response.statusCode, 201, `${sample.name}: ${response.body}`);
        const media = response.json();
        assert.equal(media.kind, sample.kind, sample.name);
        assert.equal(media.mime_type, sample.mime, sample.name);
        assert.equal(media.size, sample.bytes.length);
        assert.equal(media.sha256, createHash('sha256').update(sample.bytes).digest('hex'));
        assert.equal(media.filename, sample.name);
        assert.equal(media.url, `/api/v1/media/${media.id}`);
      }
    });

    it('refuses what WhatsApp refuses: 415 for other types, 413 over the kind’s limit, 400 empty or without a file', async () => {
      const { token } = await signedInUser(t.ctx);
      const gifUpload = await uploadMedia(t.app, token, gif(), 'funny.gif', 'image/gif');
      assert.equal(gifUpload.statusCode, 415);
      assert.equal(gifUpload.json().error.code, 'unsupported_media_type');
      const binary = await uploadMedia(t.app, token, Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]), 'data.bin');
      assert.equal(binary.statusCode, 415);

      const bigImage = await uploadMedia(t.app, token, Buffer.concat([png(4), Buffer.alloc(5 * 1024 * 1024)]), 'big.png');
      assert.equal(bigImage.statusCode, 413);
      assert.equal(bigImage.json().error.code, 'media_too_large');
      const bigSticker = await uploadMedia(t.app, token, webp(101 * 1024), 'big.webp');
      assert.equal(bigSticker.statusCode, 413, 'a still sticker is at most 100 KB');
      const animated = await uploadMedia(t.app, token, webp(300 * 1024, true), 'dance.webp');
      assert.equal(animated.statusCode, 201, 'an animated sticker may have 500 KB');

      const empty = await uploadMedia(t.app, token, Buffer.alloc(0), 'empty.pdf');
      assert.equal(empty.statusCode, 400);
      assert.equal(empty.json().error.code, 'media_empty');
      const wrongField = multipartBody(pdf(), 'a.pdf', 'application/pdf', 'attachment');
      const noFile = await t.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...bearer(token), ...wrongField.headers }, payload: wrongField.payload });
      assert.equal(noFile.statusCode, 400);
      const json = await t.app.inject({ method: 'POST', url: '/api/v1/media', headers: bearer(token), payload: { file: 'x' } });
      assert.equal(json.statusCode, 415);
      const malformed = [
        { 'content-type': 'multipart/form-data' },
        { 'content-type': 'multipart/form-data; boundary=abc', body: 'garbage' },
        { 'content-type': 'multipart/form-data; boundary=abc', body: '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut off' },
      ];
      for (const { body, ...headers } of malformed) {
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...bearer(token), ...headers }, payload: body ?? 'x' });
        assert.equal(response.statusCode, 400, `${JSON.stringify(headers)} ${body ?? ''}`);
        assert.equal(response.json().error.code, 'invalid_multipart');
      }
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/media', ...multipartBody(pdf(), 'a.pdf') });
      assert.equal(anonymous.statusCode, 401);
      const rows = await t.ctx.db.selectFrom('media').select('id').where('filename', 'in', ['funny.gif', 'big.png', 'empty.pdf', 'big.webp']).execute();
      assert.deepEqual(rows, [], 'nothing refused is stored');
    });

    it('stores the same bytes once', async () => {
      const { token } = await signedInUser(t.ctx);
      const bytes = pdf(`same bytes ${Date.now()}`);
      const first = (await uploadMedia(t.app, token, bytes, 'first.pdf')).json();
      const second = (await uploadMedia(t.app, token, bytes, 'second.pdf')).json();
      assert.notEqual(first.id, second.id, 'each upload is a file of its own, with its own name');
      assert.equal(first.sha256, second.sha256);
      assert.equal(storedFiles(dir).filter((name) => name === first.sha256).length, 1);
    });
  });

  describe('GET /api/v1/media/:id', () => {
    it('serves the bytes with their type, nosniff, an ETag, and ranges', async () => {
      const { token } = await signedInUser(t.ctx);
      const bytes = oggOpus(10_000);
      const media = (await uploadMedia(t.app, token, bytes, 'voice.ogg')).json();
      const whole = await t.app.inject({ method: 'GET', url: media.url, headers: bearer(token) });
      assert.equal(whole.statusCode, 200);
      assert.deepEqual(whole.rawPayload, bytes);
      assert.equal(whole.headers['content-type'], 'audio/ogg');
      assert.equal(whole.headers['content-length'], String(bytes.length));
      assert.equal(whole.headers['x-content-type-options'], 'nosniff');
      assert.equal(whole.headers['content-disposition'], 'inline');
      assert.equal(whole.headers['accept-ranges'], 'bytes');
      const etag = whole.headers['etag'];
      assert.ok(typeof etag === 'string' && etag.includes(media.sha256));
      const unchanged = await t.app.inject({ method: 'GET', url: media.url, headers: { ...bearer(token), 'if-none-match': etag } });
      assert.equal(unchanged.statusCode, 304);

      const part = await t.app.inject({ method: 'GET', url: media.url, headers: { ...bearer(token), range: 'bytes=100-199' } });
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers['content-range'], `bytes 100-199/${bytes.length}`);
      assert.deepEqual(part.rawPayload, bytes.subarray(100, 200));
      const tail = await t.app.inject({ method: 'GET', url: media.url, headers: { ...bearer(token), range: 'bytes=-10' } });
      assert.deepEqual(tail.rawPayload, bytes.subarray(bytes.length - 10));
      const outside = await t.app.inject({ method: 'GET', url: media.url, headers: { ...bearer(token), range: `bytes=${bytes.length}-` } });
      assert.equal(outside.statusCode, 416);
    });

    it('serves documents as attachments with their filename; 404 for unknown ids; 401 when signed out', async () => {
      const { token } = await signedInUser(t.ctx);
      const media = (await uploadMedia(t.app, token, pdf(), 'Fatura março.pdf')).json();
      const response = await t.app.inject({ method: 'GET', url: media.url, headers: bearer(token) });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      assert.match(String(response.headers['content-disposition']), /^attachment; filename="Fatura mar_o\.pdf"; filename\*=UTF-8''Fatura%20mar%C3%A7o\.pdf$/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/media/00000000-0000-4000-8000-000000000000', headers: bearer(token) })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/media/not-an-id', headers: bearer(token) })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: media.url })).statusCode, 401);
    });
  });
});
