import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const fileBytes = 90 * 1024 * 1024;
const chunkBytes = 64 * 1024;

/** A 90 MB PDF made on the fly, a chunk at a time, inside one multipart part. */
function streamedUpload(boundary: string): { body: Readable; length: number } {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const filler = Buffer.alloc(chunkBytes, 0x41);
  let left = fileBytes - 9;
  const body = Readable.from((function* parts() {
    yield head;
    while (left > 0) {
      const size = Math.min(left, chunkBytes);
      left -= size;
      yield size === chunkBytes ? filler : filler.subarray(0, size);
    }
    yield tail;
  })());
  return { body, length: head.length + fileBytes - 9 + tail.length };
}

describe('a 90 MB upload', () => {
  let database: TestDatabase;
  let started: TestApp;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flowchat-memory-'));
    database = await openTestDatabase('embedded');
    started = await startTestApp(database, { FLOWCHAT_MEDIA_DIR: dir });
  });
  after(async () => {
    await started.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams to storage: resident memory grows far less than the file', async (t) => {
    const { token } = await signedInUser(started.ctx);
    await started.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = started.app.server.address() as AddressInfo;
    const boundary = 'flowchat-memory-test';
    const { body, length } = streamedUpload(boundary);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/media', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
      body.pipe(request);
    });
    clearInterval(sampler);
    assert.equal(answer.status, 201, answer.text);
    const media = JSON.parse(answer.text) as { kind: string; size: number };
    assert.equal(media.kind, 'document');
    assert.equal(media.size, fileBytes);
    const growthMb = (peak - baseline) / 1024 / 1024;
    t.diagnostic(`RSS growth during the upload: ${growthMb.toFixed(1)} MB`);
    assert.ok(growthMb < 40, `RSS grew ${growthMb.toFixed(1)} MB for a 90 MB file`);
  });
});
