/** `/api/v1/segments`: saved audiences (a name and a filter), and previews of an audience that create nothing. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import {
  AudiencePreviewBodySchema, AudiencePreviewSchema, SegmentCreateBodySchema, SegmentListSchema, SegmentPatchBodySchema, SegmentSchema,
} from '../http/schemas/campaign.schema.js';
import { IdParamsSchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

const tags = ['segments'];

export const segmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const segments = ctx.services.segments;
  const signedIn = { onRequest: requireAuth };

  app.get('/api/v1/segments', {
    ...signedIn,
    schema: { summary: 'List saved segments by name', tags, response: { 200: SegmentListSchema, ...errorResponses(401) } },
  }, async () => ({ items: await segments.list() }));

  app.post('/api/v1/segments', {
    ...signedIn,
    schema: {
      summary: 'Save a segment',
      tags,
      body: SegmentCreateBodySchema,
      response: { 201: SegmentSchema, ...errorResponses(400, 401, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await segments.create(principalOf(request), request.body)));

  app.post('/api/v1/segments/preview', {
    ...signedIn,
    schema: {
      summary: 'Preview an audience: how many contacts it reaches now, and the first of them',
      description: 'Give `audience`, or `segment_id` for a saved one. Creates nothing.',
      tags,
      body: AudiencePreviewBodySchema,
      response: { 200: AudiencePreviewSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => segments.preview(request.body));

  app.get('/api/v1/segments/:id', {
    ...signedIn,
    schema: { summary: 'Get a saved segment', tags, params: IdParamsSchema, response: { 200: SegmentSchema, ...errorResponses(401, 404) } },
  }, async (request) => segments.get(request.params.id));

  app.patch('/api/v1/segments/:id', {
    ...signedIn,
    schema: {
      summary: 'Rename a segment or change its filter',
      description: 'Campaigns already created keep the audience they were created with.',
      tags,
      params: IdParamsSchema,
      body: SegmentPatchBodySchema,
      response: { 200: SegmentSchema, ...errorResponses(400, 401, 404, 409) },
    },
  }, async (request) => segments.update(request.params.id, request.body));

  app.delete('/api/v1/segments/:id', {
    ...signedIn,
    schema: {
      summary: 'Delete a saved segment',
      description: 'Campaigns created from it keep their audience.',
      tags,
      params: IdParamsSchema,
      response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(401, 404) },
    },
  }, async (request, reply) => {
    await segments.delete(request.params.id);
    return reply.status(204).send(null);
  });
};
