/** `/api/v1/campaigns`: create (enqueue), list, read with counts, pause, resume, cancel, and the recipient report. */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { recipientCsvHeader, recipientCsvLine } from './recipients-csv.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import {
  CampaignCreateBodySchema, CampaignListQuerySchema, CampaignPageSchema, CampaignSchema, RecipientPageSchema, RecipientQuerySchema,
} from '../http/schemas/campaign.schema.js';
import { IdParamsSchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

const tags = ['campaigns'];

export const campaignRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const campaigns = ctx.services.campaigns;
  const signedIn = { onRequest: requireAuth };

  app.post('/api/v1/campaigns', {
    ...signedIn,
    schema: {
      summary: 'Create a campaign',
      description:
        'Enqueues one template message per contact of the audience (or of the saved segment `segment_id`), with per-contact ' +
        'variables resolved; contacts lacking a variable are skipped and listed in the recipient report. With a future ' +
        '`scheduled_at` the campaign is `scheduled` and starts then; otherwise it is `running` at once.',
      tags,
      body: CampaignCreateBodySchema,
      response: { 201: CampaignSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => reply.status(201).send(await campaigns.create(principalOf(request), request.body)));

  app.get('/api/v1/campaigns', {
    ...signedIn,
    schema: {
      summary: 'List campaigns, newest first, with their counts',
      tags,
      querystring: CampaignListQuerySchema,
      response: { 200: CampaignPageSchema, ...errorResponses(400, 401) },
    },
  }, async (request) => campaigns.list(request.query));

  app.get('/api/v1/campaigns/:id', {
    ...signedIn,
    schema: { summary: 'Get a campaign with its counts by status', tags, params: IdParamsSchema, response: { 200: CampaignSchema, ...errorResponses(401, 404) } },
  }, async (request) => campaigns.get(request.params.id));

  app.post('/api/v1/campaigns/:id/pause', {
    ...signedIn,
    schema: {
      summary: 'Pause a scheduled or running campaign',
      description: 'Messages not yet claimed by the sender wait (`pending`, reason `campaign_paused`); those already going out settle normally.',
      tags,
      params: IdParamsSchema,
      response: { 200: CampaignSchema, ...errorResponses(401, 404, 422) },
    },
  }, async (request) => campaigns.pause(principalOf(request), request.params.id));

  app.post('/api/v1/campaigns/:id/resume', {
    ...signedIn,
    schema: { summary: 'Resume a paused campaign', tags, params: IdParamsSchema, response: { 200: CampaignSchema, ...errorResponses(401, 404, 422) } },
  }, async (request) => campaigns.resume(principalOf(request), request.params.id));

  app.post('/api/v1/campaigns/:id/cancel', {
    ...signedIn,
    schema: {
      summary: 'Cancel a campaign',
      description: 'Every message not yet claimed by the sender becomes `canceled`; messages already going out settle normally.',
      tags,
      params: IdParamsSchema,
      response: { 200: CampaignSchema, ...errorResponses(401, 404, 422) },
    },
  }, async (request) => campaigns.cancel(principalOf(request), request.params.id));

  app.get('/api/v1/campaigns/:id/recipients', {
    ...signedIn,
    schema: {
      summary: 'Who got what: each recipient with its message’s status, error or skip reason',
      description: 'Paged by contact id; `status=skipped` lists the contacts left out for a missing template variable.',
      tags,
      params: IdParamsSchema,
      querystring: RecipientQuerySchema,
      response: { 200: RecipientPageSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => campaigns.listRecipients(request.params.id, request.query));

  app.get('/api/v1/campaigns/:id/recipients.csv', {
    ...signedIn,
    schema: {
      summary: 'The whole recipient report as CSV',
      tags,
      params: IdParamsSchema,
      produces: ['text/csv'],
      response: { 200: Type.String({ description: 'CSV with a header row' }), ...errorResponses(401, 404) },
    },
  }, async (request, reply) => {
    const campaign = await campaigns.find(request.params.id);
    const pages = campaigns.allRecipients(campaign);
    async function* lines(): AsyncGenerator<string> {
      yield recipientCsvHeader();
      for await (const page of pages) yield page.map(recipientCsvLine).join('');
    }
    // The body is a stream of CSV text: the response schema documents it, the serializer is not involved.
    const csv: FastifyReply = reply;
    return csv
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="campaign-${campaign.id}-recipients.csv"`)
      .send(Readable.from(lines()));
  });
};
