import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/env.js';
import { MetaTemplateClient, TemplateFetchError } from '../../src/templates/meta-template-client.js';

describe('reading message_templates from Meta', () => {
  let server: http.Server;
  let base = '';
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.authorization}`);
      const path = (request.url ?? '').split('?')[0];
      response.setHeader('content-type', 'application/json');
      if (path === '/v25.0/1/message_templates') {
        response.end(JSON.stringify({ data: [{ id: '9', name: 'a', language: 'en_US', status: 'APPROVED', components: [] }], paging: { next: 'http://elsewhere.example/v25.0/1/message_templates?after=x' } }));
      } else if (path === '/v25.0/2/message_templates') {
        response.statusCode = 401;
        response.end(JSON.stringify({ error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } }));
      } else if (path === '/v25.0/3/message_templates') {
        response.setTimeout(0);
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v25.0`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (timeoutMs = 2_000) => new MetaTemplateClient({ apiUrl: base, timeoutMs });

  it('never follows paging.next to another host, so the token goes to Meta only', async () => {
    await assert.rejects(client().fetchAll('1', 'EAAG-secret'), (error: unknown) => error instanceof TemplateFetchError && /another host/.test(error.message));
    assert.ok(seen.every((line) => line.endsWith('Bearer EAAG-secret')));
  });

  it('reports Meta’s refusal by code, without the token', async () => {
    await assert.rejects(client().fetchAll('2', 'EAAG-secret'), (error: unknown) => error instanceof TemplateFetchError && /190/.test(error.message) && !error.message.includes('EAAG'));
  });

  it('gives up after the request timeout', async () => {
    await assert.rejects(client(200).fetchAll('3', 'EAAG-secret'), TemplateFetchError);
  });

  it('takes WHATSAPP_BUSINESS_ACCOUNT_ID as digits, and only with a token', () => {
    const token = { WHATSAPP_ACCESS_TOKEN: 'EAAG', WHATSAPP_PHONE_NUMBER_ID: '1', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' };
    assert.equal(loadConfig({ ...token, WHATSAPP_BUSINESS_ACCOUNT_ID: '107318452290331' }).whatsappBusinessAccountId, '107318452290331');
    assert.equal(loadConfig({}).whatsappBusinessAccountId, undefined);
    assert.throws(() => loadConfig({ ...token, WHATSAPP_BUSINESS_ACCOUNT_ID: '../me' }), /WHATSAPP_BUSINESS_ACCOUNT_ID/);
    assert.throws(() => loadConfig({ WHATSAPP_BUSINESS_ACCOUNT_ID: '1073' }), /WHATSAPP_BUSINESS_ACCOUNT_ID/);
  });
});
