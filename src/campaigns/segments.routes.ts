/** `/api/v1/segments`: saved audiences (a name and a filter), and previews of an audience that create nothing. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import {
  AudiencePreviewBodySchema, AudiencePreviewSchema, SegmentCreateBodySchema, SegmentListSchema, SegmentPatchBodySchema, SegmentSchema,
} from '../http/schemas/campaign.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';

export const segmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const segments = ctx.services.segments;
  const signedIn = routeGroup(['segments'], { onRequest: requireAuth });

  app.get('/api/v1/segments', signedIn({ summary: 'List saved segments by name', response: { 200: SegmentListSchema, ...errorResponses(401) } }),
    async () => ({ items: await segments.list() }));

  app.post('/api/v1/segments', signedIn({
    summary: 'Save a segment',
    body: SegmentCreateBodySchema,
    response: { 201: SegmentSchema, ...errorResponses(400, 401, 409) },
  }), async (request, reply) => reply.status(201).send(await segments.create(principalOf(request), request.body)));

  app.post('/api/v1/segments/preview', signedIn({
    summary: 'Preview an audience: how many contacts it reaches now, and the first of them',
    description: 'Give `audience`, or `segment_id` for a saved one. Creates nothing.',
    body: AudiencePreviewBodySchema,
    response: { 200: AudiencePreviewSchema, ...errorResponses(400, 401, 404) },
  }), async (request) => segments.preview(request.body));

  app.get('/api/v1/segments/:id', signedIn.byId({ summary: 'Get a saved segment', response: { 200: SegmentSchema, ...errorResponses(401, 404) } }),
    async (request) => segments.get(request.params.id));

  app.patch('/api/v1/segments/:id', signedIn.byId({
    summary: 'Rename a segment or change its filter',
    description: 'Campaigns already created keep the audience they were created with.',
    body: SegmentPatchBodySchema,
    response: { 200: SegmentSchema, ...errorResponses(400, 401, 404, 409) },
  }), async (request) => segments.update(request.params.id, request.body));

  app.delete('/api/v1/segments/:id', signedIn.byId({
    summary: 'Delete a saved segment',
    description: 'Campaigns created from it keep their audience.',
    response: { ...noContentResponse('Deleted'), ...errorResponses(401, 404) },
  }), noContent((request) => segments.delete(request.params.id)));
};
