/**
 * `POST /api/v1/media` (one multipart `file` part, streamed to storage) and `GET /api/v1/media/:id`
 * (the bytes, with ranges for seeking in audio and video).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { IdParamsSchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { AppError } from '../shared/errors.js';
import { parseRange } from './byte-range.js';
import { MAX_MEDIA_BYTES } from './media-kinds.js';
import { presentMedia } from './media-presenter.js';
import { MediaResourceSchema } from './media.schema.js';

const inlineKinds = new Set(['image', 'audio', 'video', 'sticker']);

function disposition(kind: string, filename: string | null, id: string): string {
  if (inlineKinds.has(kind)) return 'inline';
  const name = filename ?? `${id}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const mediaRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['media'];
  await app.register(multipart, { limits: { files: 1, fields: 10, fileSize: MAX_MEDIA_BYTES + 1, parts: 20 } });

  app.post(
    '/api/v1/media',
    {
      preHandler: requireAuth,
      bodyLimit: MAX_MEDIA_BYTES + 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload a media file',
        description:
          '`multipart/form-data` with one `file` part. The kind comes from the bytes: JPEG/PNG images (5 MB), MP4/3GPP video (16 MB), AAC/AMR/MP3/M4A/OGG Opus audio (16 MB), PDF, text and Office documents (100 MB), WebP stickers (100 KB, 500 KB animated). Anything else is 415 `unsupported_media_type`; over its kind’s limit 413 `media_too_large`.',
        consumes: ['multipart/form-data'],
        response: { 201: MediaResourceSchema, ...errorResponses(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
      const part = await request.file().catch((error: unknown) => {
        throw new AppError('invalid_multipart', error instanceof Error ? error.message : undefined);
      });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('media_file_missing');
      }
      const media = await ctx.media.service.upload({ file: part.file, filename: part.filename, uploadedBy: principalOf(request).userId });
      return reply.status(201).send(presentMedia(media));
    },
  );

  app.get(
    '/api/v1/media/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        summary: 'A media file’s bytes',
        description: 'Inline for images, audio and video, as an attachment with its filename for documents; `Range` requests answer 206.',
        params: IdParamsSchema,
        response: { 200: Type.Unknown({ description: 'The file' }), 206: Type.Unknown({ description: 'Part of the file' }), 304: Type.Null({ description: 'Not modified (ETag)' }), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const media = await ctx.media.service.find(request.params.id);
      const etag = `"${media.sha256 ?? media.id}"`;
      reply
        .header('content-type', media.mime_type)
        .header('x-content-type-options', 'nosniff')
        .header('etag', etag)
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('content-disposition', disposition(media.kind, media.filename, media.id));
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      const range = parseRange(request.headers['range'], media.size);
      if (range.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${media.size}`);
        throw new AppError('range_not_satisfiable');
      }
      if (range.kind === 'range') {
        const { start, end } = range.range;
        reply.status(206).header('content-range', `bytes ${start}-${end}/${media.size}`).header('content-length', end - start + 1);
        return reply.send(await ctx.media.service.read(media, range.range));
      }
      reply.header('content-length', media.size);
      return reply.send(await ctx.media.service.read(media));
    },
  );
};
