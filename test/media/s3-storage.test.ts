import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { bearer } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { createContact, eventually } from '../support/whatsapp.js';
import { mediaApps, type MediaApp } from './support/media-apps.js';
import { uploadMedia } from './support/media-client.js';
import { oggOpus, pdf } from './support/samples.js';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const bucket = 'flowchat-media';

forEachEngine('media in an S3-compatible bucket (s3rver)', (suite) => {
  let server: S3rverInstance;
  let endpoint: string;
  let folder: string;
  const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  const apps = mediaApps(suite, () => ({ FLOWCHAT_S3_BUCKET: bucket, FLOWCHAT_S3_ENDPOINT: endpoint, FLOWCHAT_S3_REGION: 'us-east-1', FLOWCHAT_S3_FORCE_PATH_STYLE: 'true' }));
  // Each process spools in a folder of its own: only the bucket is shared.
  const app = (): Promise<MediaApp> => apps.start({ FLOWCHAT_MEDIA_DIR: mkdtempSync(path.join(folder, 'process-')) });

  async function objects(): Promise<string[]> {
    const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    client.destroy();
    return (listed.Contents ?? []).map((item) => item.Key ?? '');
  }

  before(async () => {
    Object.assign(process.env, credentials);
    folder = mkdtempSync(path.join(tmpdir(), 'flowchat-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(folder, 'bucket'), configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('stores uploads in the bucket, once per content, and every process serves them, ranges included', async () => {
    const writer = await app();
    const reader = await app();
    const bytes = oggOpus(20_000);
    const first = (await uploadMedia(writer.app, writer.token, bytes, 'voice.ogg')).json();
    const second = (await uploadMedia(writer.app, writer.token, bytes, 'again.ogg')).json();
    assert.equal((await objects()).filter((key) => key === `media/${first.sha256}`).length, 1);
    assert.equal(second.sha256, first.sha256);

    const whole = await reader.app.inject({ method: 'GET', url: first.url, headers: bearer(reader.token) });
    assert.equal(whole.statusCode, 200);
    assert.deepEqual(whole.rawPayload, bytes);
    const part = await reader.app.inject({ method: 'GET', url: first.url, headers: { ...bearer(reader.token), range: 'bytes=1000-1999' } });
    assert.equal(part.statusCode, 206);
    assert.deepEqual(part.rawPayload, bytes.subarray(1000, 2000));
  });

  it('sends from the bucket and deletes a contact’s objects with the contact', async () => {
    const t = await app();
    const contact = await createContact(t.ctx.db, { inboundHoursAgo: 1 });
    const invoice = (await uploadMedia(t.app, t.token, pdf(`s3 ${Date.now()}`), 'invoice.pdf')).json();
    const send = await t.app.inject({ method: 'POST', url: `/api/v1/contacts/${contact.id}/messages`, headers: bearer(t.token), payload: { type: 'document', media_id: invoice.id } });
    assert.equal(send.statusCode, 202);
    await eventually(async () => {
      const row = await t.ctx.db.selectFrom('messages').select('wire_media_id').where('id', '=', send.json().id).executeTakeFirstOrThrow();
      return row.wire_media_id ?? undefined;
    }, 10_000, 'the file to be handed to the (sandbox) number');
    assert.ok((await objects()).includes(`media/${invoice.sha256}`));
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: bearer(t.token) })).statusCode, 204);
    await eventually(async () => !(await objects()).includes(`media/${invoice.sha256}`), 10_000, 'the object to be deleted');
  });
});
