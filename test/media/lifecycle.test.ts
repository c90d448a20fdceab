import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { bearer } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { createContact, eventually } from '../support/whatsapp.js';
import { mediaApps, type MediaApp } from './support/media-apps.js';
import { jpeg, oggOpus, pdf } from './support/samples.js';

const storedPath = (dir: string, sha256: string): string => path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

forEachEngine('media in the sandbox and on contact deletion', (suite) => {
  const apps = mediaApps(suite, () => ({ FLOWCHAT_SANDBOX_STATUS_STEP_MS: '20' }));
  const app = (): Promise<MediaApp> => apps.start();

  it('works without Meta: a simulated customer sends a voice note, the agent answers with a photo', async () => {
    const t = await app();
    const [voice] = await t.upload([oggOpus(5_000), 'note.ogg']);
    const inbound = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(t.token), payload: { phone: '+14155550177', name: 'Dana', media_id: voice.id, voice: true } });
    assert.equal(inbound.statusCode, 201, inbound.body);
    const { message, contact } = inbound.json();
    assert.equal(message.type, 'audio');
    assert.equal(message.content, '[Voice message]');
    const ready = await eventually(async () => {
      const row = await t.ctx.db.selectFrom('messages').select('media').where('id', '=', message.id).executeTakeFirstOrThrow();
      return row.media?.['status'] === 'ready' ? row.media : undefined;
    }, 10_000, 'the sandbox file to be ready');
    assert.equal(ready['voice'], true);
    assert.equal(ready['sha256'], voice.sha256);
    const served = await t.app.inject({ method: 'GET', url: String(ready['url']), headers: bearer(t.token) });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'audio/ogg');

    const [photo] = await t.upload([jpeg(2_500), 'answer.jpg']);
    const reply = await t.send(contact.id, { type: 'image', media_id: photo.id, caption: 'Here it is' });
    assert.equal(reply.statusCode, 202, reply.body);
    const sent = await eventually(async () => {
      const row = await t.ctx.db.selectFrom('messages').selectAll().where('id', '=', reply.json().id).executeTakeFirstOrThrow();
      return row.external_id ? row : undefined;
    }, 10_000, 'the photo to be sent');
    assert.match(String(sent.wire_media_id), /^sandbox-media-/);
    const text = await t.app.inject({ method: 'POST', url: '/api/v1/sandbox/inbound', headers: bearer(t.token), payload: { phone: '+14155550177' } });
    assert.equal(text.statusCode, 400, 'a text or a file is needed');
  });

  it('deletes a contact’s files with it, and keeps bytes another file still uses', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const other = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const [onlyTheirs, shared, sameBytes] = await t.upload([pdf(`theirs ${Date.now()}`), 'theirs.pdf'], [jpeg(4_321), 'shared.jpg'], [jpeg(4_321), 'same-bytes.jpg']);
    for (const [target, media] of [[contact.id, onlyTheirs], [contact.id, shared], [other.id, shared]] as const) {
      const send = await t.send(target, { type: media.kind, media_id: media.id });
      assert.equal(send.statusCode, 202, send.body);
    }
    assert.ok(existsSync(storedPath(apps.dir, onlyTheirs.sha256)));
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: bearer(t.token) });
    assert.equal(deleted.statusCode, 204);
    await eventually(async () => !existsSync(storedPath(apps.dir, onlyTheirs.sha256)), 5_000, 'the contact’s file to be deleted');
    const left = await t.ctx.db.selectFrom('media').select('id').where('id', 'in', [onlyTheirs.id, shared.id, sameBytes.id]).execute();
    assert.deepEqual(left.map((row) => row.id).sort(), [shared.id, sameBytes.id].sort(), 'a file another contact’s message carries stays');
    assert.ok(existsSync(storedPath(apps.dir, shared.sha256)));
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/media/${onlyTheirs.id}`, headers: bearer(t.token) })).statusCode, 404);
  });
});
