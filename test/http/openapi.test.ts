import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

interface Operation {
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  parameters?: Array<{ name: string; in: string }>;
  security?: unknown[];
}

forEachEngine('OpenAPI document', (suite) => {
  const t = suiteApp(suite);

  it('documents every accounts and contacts route with its parameters, bodies and responses', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.components.securitySchemes.bearerAuth);
    const operation = (path: string, method: string): Operation => {
      const found = document.paths[path]?.[method];
      assert.ok(found, `${method.toUpperCase()} ${path} is documented`);
      return found as Operation;
    };
    const routes: Array<[string, string, number]> = [
      ['/api/v1/auth/login', 'post', 200], ['/api/v1/auth/logout', 'post', 204], ['/api/v1/auth/me', 'get', 200],
      ['/api/v1/users', 'get', 200], ['/api/v1/users', 'post', 201], ['/api/v1/users/{id}', 'patch', 200], ['/api/v1/users/{id}', 'delete', 204],
      ['/api/v1/api-keys', 'get', 200], ['/api/v1/api-keys', 'post', 201], ['/api/v1/api-keys/{id}', 'delete', 204],
      ['/api/v1/contacts', 'get', 200], ['/api/v1/contacts', 'post', 201], ['/api/v1/contacts/{id}', 'get', 200],
      ['/api/v1/contacts/{id}', 'patch', 200], ['/api/v1/contacts/{id}', 'delete', 204], ['/api/v1/contacts/import', 'post', 200],
      ['/metrics', 'get', 200],
    ];
    for (const [path, method, status] of routes) {
      const op = operation(path, method);
      assert.ok(op.responses[String(status)], `${method} ${path} documents ${status}`);
      if (status !== 204) assert.ok(op.responses[String(status)]?.content, `${method} ${path} has a ${status} schema`);
      if (path !== '/api/v1/auth/login' && path !== '/metrics') assert.ok(op.responses['401'], `${method} ${path} documents 401`);
      if (path.includes('{id}')) assert.ok(op.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === 'id'));
    }
    // What anyone may call says so, so generated clients send no credentials there.
    for (const [path, method] of [['/api/v1/auth/login', 'post'], ['/healthz', 'get'], ['/webhooks/whatsapp', 'get'], ['/webhooks/whatsapp', 'post']] as const) {
      assert.deepEqual(operation(path, method).security, [], `${method} ${path} is public`);
    }
    assert.ok(operation('/api/v1/contacts', 'post').requestBody?.content['application/json']);
    assert.ok(operation('/api/v1/contacts/import', 'post').requestBody?.content['text/csv'], 'the import documents its CSV body');
    const listParameters = operation('/api/v1/contacts', 'get').parameters?.map((parameter) => parameter.name).sort();
    assert.deepEqual(listParameters, ['cursor', 'limit', 'match', 'order', 'q', 'sort', 'tags']);
    const userSchema = JSON.stringify(operation('/api/v1/users', 'post').responses['201']);
    assert.doesNotMatch(userSchema, /password/);
  });

  it('serves the browsable page', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /swagger/i);
  });
});
