/**
 * CSV import: the file uploaded to `POST /api/v1/contacts/import` (streamed over HTTP to the real
 * route, parsed and upserted in batches by ContactImportService), against COPY of the same rows
 * straight into the contacts table, each starting from an empty table with all its indexes.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Milliseconds from the first byte sent to the import's answer. */
export async function importThroughRoute(baseUrl: string, token: string, file: string, expected: number): Promise<number> {
  const started = performance.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(`${baseUrl}/api/v1/contacts/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    createReadStream(file).on('error', reject).pipe(request);
  });
  const elapsed = performance.now() - started;
  if (answer.status !== 200) throw new Error(`the import answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  const result = JSON.parse(answer.body) as { created: number; updated: number; error_count?: number };
  if (result.created !== expected) throw new Error(`the import created ${result.created} contacts, expected ${expected}: ${answer.body.slice(0, 300)}`);
  return elapsed;
}

/** Milliseconds to COPY `file` (already in the contacts table's shape) into contacts. */
export async function copyIntoContacts(pool: pg.Pool, file: string): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom('COPY contacts (phone, name, email, tags, metadata) FROM STDIN WITH (FORMAT csv)')));
    return performance.now() - started;
  } finally {
    client.release();
  }
}
