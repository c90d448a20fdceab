import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

forEachEngine('GET /metrics', (suite) => {
  const t = suiteApp(suite);

  it('reports request durations by route pattern and status, pool usage and process metrics, to anyone', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/contacts/00000000-0000-4000-8000-000000000000' });
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/plain/);
    const text = response.body;
    assert.match(text, /http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/contacts\/:id"[^}]*status_code="401"/);
    assert.match(text, /http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*status_code="200"\} 1/);
    assert.match(text, /flowchat_db_pool_connections\{state="total"\} \d+/);
    assert.match(text, /flowchat_db_pool_connections\{state="waiting"\} \d+/);
    assert.match(text, /process_cpu_user_seconds_total/);
    assert.doesNotMatch(text, /00000000-0000-4000-8000-000000000000/, 'ids never become labels');
  });
});
