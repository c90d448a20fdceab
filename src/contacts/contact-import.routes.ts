/**
 * `POST /api/v1/contacts/import` with a `text/csv` body. The body is not buffered: a content-type
 * parser scoped to this route module hands the raw request stream to the import, which parses it
 * as it arrives and stops with 413 past FLOWCHAT_IMPORT_MAX_BYTES.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { AppError } from '../shared/errors.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { ContactImportResultSchema } from '../http/schemas/contact.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

const CSV_BODY = Type.String({
  description: 'CSV with a header row: `phone` (required), `name`, `email`, `tags` (split on `;`); any other column goes to `metadata`.',
  examples: ['phone,name,email,tags,city\n+14155550123,Ana,ana@example.com,vip;lead,Recife\n'],
});

function csvStream(request: FastifyRequest): Readable {
  if (!(request.body instanceof Readable)) throw new AppError('unsupported_media_type', 'Send the file with Content-Type: text/csv');
  return request.body;
}

export const contactImportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const maxBytes = ctx.config.importMaxBytes;
  const imports = ctx.services.contactImports;

  app.addContentTypeParser('text/csv', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      done(new AppError('payload_too_large', `The file is larger than ${maxBytes} bytes`), undefined);
      return;
    }
    done(null, payload);
  });

  app.post(
    '/api/v1/contacts/import',
    {
      // Before the body is read: a caller who may not import is turned away without uploading.
      onRequest: requireAuth,
      bodyLimit: maxBytes,
      config: {
        rateLimit: { max: 30, timeWindow: '1 minute' },
        // The body is a stream, so it has no schema to validate; the document still shows it.
        swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, body: CSV_BODY }, url }),
      },
      schema: {
        tags: ['contacts'],
        summary: 'Import contacts from CSV',
        description:
          'Upserts by phone: a row whose phone exists updates it (given name and email replace, tags are added, metadata ' +
          'merges, empty cells change nothing). Bad rows are listed with the line they start on (the header is line 1); ' +
          'the others land.',
        consumes: ['text/csv'],
        response: { 200: ContactImportResultSchema, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const result = await imports.importCsv(csvStream(request), principalOf(request));
      return { created: result.created, updated: result.updated, errors: result.errors, error_count: result.errorCount };
    },
  );
};
