/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), except that an empty body
 * with `Content-Type: application/json` counts as no body: many clients send that header on every
 * request, and a DELETE or a logout should not fail for it. A route that needs a body still gets
 * a 400 from its schema.
 */
import fp from 'fastify-plugin';

export const jsonBodyPlugin = fp(
  async (app) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, text, done);
    });
  },
  { name: 'flowchat-json-body' },
);
