import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/env.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('environment', () => {
  it('has the contract’s defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, './data');
    assert.equal(config.whatsapp, undefined, 'no token: the sandbox channel');
    assert.equal(config.whatsappApiUrl, 'https://graph.facebook.com/v25.0');
    assert.equal(config.whatsappRateLimit, 80);
    assert.deepEqual(config.pool, { max: 20, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 2_000 });
  });

  for (const [env, variable] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ WHATSAPP_ACCESS_TOKEN: 'token' }, 'WHATSAPP_PHONE_NUMBER_ID'],
    [{ WHATSAPP_ACCESS_TOKEN: 'token', WHATSAPP_PHONE_NUMBER_ID: '1' }, 'WHATSAPP_APP_SECRET'],
    [{ WHATSAPP_API_URL: 'ftp://example.com' }, 'WHATSAPP_API_URL'],
    [{ WHATSAPP_RATE_LIMIT: '0' }, 'WHATSAPP_RATE_LIMIT'],
    [{ FLOWCHAT_DEFAULT_COUNTRY: 'Brazil' }, 'FLOWCHAT_DEFAULT_COUNTRY'],
    [{ FLOWCHAT_ADMIN_PASSWORD: 'short' }, 'FLOWCHAT_ADMIN_PASSWORD'],
    [{ FLOWCHAT_TRUST_PROXY: 'true' }, 'FLOWCHAT_TRUST_PROXY'],
    [{ FLOWCHAT_TRUST_PROXY: '10.0.0.0/8, everyone' }, 'FLOWCHAT_TRUST_PROXY'],
  ] as const) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.message.startsWith(variable));
    });
  }

  it('believes X-Forwarded-For only from the proxies it is told to trust, a local one by default', () => {
    assert.deepEqual(loadConfig({}).trustProxy, ['loopback']);
    assert.deepEqual(loadConfig({ FLOWCHAT_TRUST_PROXY: '10.0.0.0/8, 192.168.1.10, uniquelocal' }).trustProxy, ['10.0.0.0/8', '192.168.1.10', 'uniquelocal']);
    assert.deepEqual(loadConfig({ FLOWCHAT_TRUST_PROXY: 'none' }).trustProxy, []);
  });

  it('takes a complete Cloud API configuration', () => {
    const config = loadConfig({
      WHATSAPP_ACCESS_TOKEN: 'token', WHATSAPP_PHONE_NUMBER_ID: '106540352242922', WHATSAPP_APP_SECRET: 'secret', WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_API_URL: 'http://127.0.0.1:9999/v25.0/',
    });
    assert.equal(config.whatsapp?.phoneNumberId, '106540352242922');
    assert.equal(config.whatsappApiUrl, 'http://127.0.0.1:9999/v25.0');
  });
});
