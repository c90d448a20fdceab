/**
 * The webhook floor: a bare `node:http` server that reads the body, checks its
 * `X-Hub-Signature-256` HMAC in constant time, and answers 200 — no framework, no database. Run as
 * its own process (like FlowChat's server) with the secret in BARE_APP_SECRET; prints its port.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const secret = process.env['BARE_APP_SECRET'] ?? '';

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(Buffer.concat(chunks)).digest('hex')}`);
    const given = Buffer.from(String(request.headers['x-hub-signature-256'] ?? ''));
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    response.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
    response.end(valid ? '{"received":true}' : '{"error":{"code":"invalid_signature"}}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
