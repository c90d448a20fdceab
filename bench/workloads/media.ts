/**
 * Media: a large document uploaded to `POST /api/v1/media` (multipart, streamed over HTTP to the
 * real route: spooled, hashed, judged by its bytes, moved into the media folder) against writing
 * the same bytes to a file, and downloaded from `GET /api/v1/media/:id` against reading the stored
 * file; with the process's resident memory growth during both, which must stay far below the
 * file's size.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { freshEmbeddedDatabase } from '../bench-database.js';
import type { BenchConfig } from '../config.js';
import type { Figure } from '../results.js';
import { startBenchApp } from '../support/flowchat-app.js';

const chunkBytes = 64 * 1024;
const boundary = 'flowchat-bench-media';

/** A PDF of `bytes` made a chunk at a time (never whole in memory). */
function pdfStream(bytes: number): Readable {
  const filler = Buffer.alloc(chunkBytes, 0x41);
  return Readable.from((function* chunks() {
    yield Buffer.from('%PDF-1.7\n');
    let left = bytes - 9;
    while (left > 0) {
      const size = Math.min(left, chunkBytes);
      left -= size;
      yield size === chunkBytes ? filler : filler.subarray(0, size);
    }
  })());
}

function multipart(bytes: number): { body: Readable; length: number } {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const file = pdfStream(bytes);
  const body = Readable.from((async function* parts() {
    yield head;
    for await (const chunk of file) yield chunk as Buffer;
    yield tail;
  })());
  return { body, length: head.length + bytes + tail.length };
}

/** Counts bytes and drops them. */
function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function rssPeak(): { stop(): number } {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  return {
    stop() {
      clearInterval(timer);
      return (Math.max(peak, process.memoryUsage().rss) - baseline) / 1024 / 1024;
    },
  };
}

const rate = (bytes: number, ms: number): number => bytes / 1024 / 1024 / (ms / 1000);

export async function mediaFigures(config: BenchConfig, dir: string, log: (line: string) => void): Promise<Figure[]> {
  const bytes = (config.quick ? 20 : 90) * 1024 * 1024;
  const mediaDir = join(dir, 'media');
  const app = await startBenchApp(await freshEmbeddedDatabase(join(dir, 'media-db')), { FLOWCHAT_MEDIA_DIR: mediaDir });
  try {
    log(`media: uploading a ${bytes / 1024 / 1024} MB document`);
    const floorStart = performance.now();
    await pipeline(pdfStream(bytes), createWriteStream(join(dir, 'floor.pdf')));
    const writeMs = performance.now() - floorStart;

    const upload = multipart(bytes);
    const uploadRss = rssPeak();
    const uploadStart = performance.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${app.url}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${app.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': upload.length } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      upload.body.pipe(request);
    });
    const uploadMs = performance.now() - uploadStart;
    const uploadGrowth = uploadRss.stop();
    if (answer.status !== 201) throw new Error(`the upload answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const media = JSON.parse(answer.body) as { url: string; sha256: string };

    const readStart = performance.now();
    await pipeline(createReadStream(join(mediaDir, media.sha256.slice(0, 2), media.sha256.slice(2, 4), media.sha256)), sink());
    const readMs = performance.now() - readStart;
    const downloadRss = rssPeak();
    const downloadStart = performance.now();
    const response = await fetch(`${app.url}${media.url}`, { headers: { authorization: `Bearer ${app.token}` } });
    if (response.status !== 200 || !response.body) throw new Error(`the download answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), sink());
    const downloadMs = performance.now() - downloadStart;
    const downloadGrowth = downloadRss.stop();

    const size = `${bytes / 1024 / 1024} MB`;
    const growthLimit = 64;
    return [
      {
        id: 'media.upload',
        label: `Media upload of a ${size} document (route, streamed)`,
        value: `${rate(bytes, uploadMs).toFixed(0)} MB/s, RSS +${uploadGrowth.toFixed(0)} MB`,
        floor: `${rate(bytes, writeMs).toFixed(0)} MB/s (writing the file)`,
        ratio: rate(bytes, uploadMs) / rate(bytes, writeMs),
        goal: { text: `RSS grows < ${growthLimit} MB`, met: uploadGrowth < growthLimit },
        data: { bytes, upload_ms: uploadMs, floor_ms: writeMs, rss_growth_mb: uploadGrowth },
      },
      {
        id: 'media.download',
        label: `Media download of a ${size} document (route)`,
        value: `${rate(bytes, downloadMs).toFixed(0)} MB/s, RSS +${downloadGrowth.toFixed(0)} MB`,
        floor: `${rate(bytes, readMs).toFixed(0)} MB/s (reading the file)`,
        ratio: rate(bytes, downloadMs) / rate(bytes, readMs),
        goal: { text: `RSS grows < ${growthLimit} MB`, met: downloadGrowth < growthLimit },
        data: { bytes, download_ms: downloadMs, floor_ms: readMs, rss_growth_mb: downloadGrowth },
      },
    ];
  } finally {
    await app.close();
    await app.ctx.database.close();
  }
}
