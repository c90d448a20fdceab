import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect } from '../../src/db/connection.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startTestApp } from '../support/app.js';
import { forEachEngine, openTestDatabase, serverUrl } from '../support/databases.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

forEachEngine('GET /healthz', (suite) => {
  it('answers 200 {"status":"ok"} while the database answers, and unknown routes get a JSON 404', async () => {
    const { app, close } = await startTestApp(suite.database);
    try {
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200);
      assert.deepEqual(health.json(), { status: 'ok' });
      for (const url of ['/api/v1/no/such/route', '/no/such/route']) {
        const missing = await app.inject({ method: 'GET', url });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().error.code, 'route_not_found');
      }
      const api = await app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { accept: 'text/html' } });
      assert.equal(api.statusCode, 404, 'API paths never get the web app');
    } finally {
      await close();
    }
  });
});

describe('GET /healthz while the database is unreachable [server]', { skip: serverUrl === undefined }, () => {
  it('answers 503 within 5 s when the database goes away and 200 again when it returns, without a restart', async () => {
    const database = await openTestDatabase('server');
    const target = new URL(database.url ?? '');
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const handle = await connect({ databaseUrl: viaProxy.toString(), logger: silentLogger(), pool: { connectionTimeoutMillis: 1_000 } });
    const { app, close } = await startTestApp(Object.assign(handle, { url: viaProxy.toString() }));
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      proxy.cut();
      const started = Date.now();
      const down = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(down.statusCode, 503);
      assert.ok(Date.now() - started < 5_000, 'answered within 5 s');
      proxy.restore();
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await close();
      await handle.close();
      await proxy.close();
      await database.close();
    }
  });
});
