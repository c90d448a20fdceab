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
import { errorResponses } from '../http/schemas/error.schema.js';
import { routeGroup } from '../http/route-group.js';

export const campaignRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const campaigns = ctx.services.campaigns;
  const signedIn = routeGroup(['campaigns'], { onRequest: requireAuth });

  app.post('/api/v1/campaigns', signedIn({
    summary: 'Create a campaign',
    description:
      'Enqueues one template message per contact of the audience (or of the saved segment `segment_id`), with per-contact ' +
      'variables resolved; contacts lacking a variable are skipped and listed in the recipient report. With a future ' +
      '`scheduled_at` the campaign is `scheduled` and starts then; otherwise it is `running` at once.',
    body: CampaignCreateBodySchema,
    response: { 201: CampaignSchema, ...errorResponses(400, 401, 404) },
  }), async (request, reply) => reply.status(201).send(await campaigns.create(principalOf(request), request.body)));

  app.get('/api/v1/campaigns', signedIn({
    summary: 'List campaigns, newest first, with their counts',
    querystring: CampaignListQuerySchema,
    response: { 200: CampaignPageSchema, ...errorResponses(400, 401) },
  }), async (request) => campaigns.list(request.query));

  app.get('/api/v1/campaigns/:id', signedIn.byId({ summary: 'Get a campaign with its counts by status', response: { 200: CampaignSchema, ...errorResponses(401, 404) } }),
    async (request) => campaigns.get(request.params.id));

  const transitions = [
    {
      action: 'pause',
      summary: 'Pause a scheduled or running campaign',
      description: 'Messages not yet claimed by the sender wait (`pending`, reason `campaign_paused`); those already going out settle normally.',
    },
    { action: 'resume', summary: 'Resume a paused campaign' },
    {
      action: 'cancel',
      summary: 'Cancel a campaign',
      description: 'Every message not yet claimed by the sender becomes `canceled`; messages already going out settle normally.',
    },
  ] as const;
  for (const { action, ...documented } of transitions) {
    app.post(`/api/v1/campaigns/:id/${action}`, signedIn.byId({
      ...documented,
      response: { 200: CampaignSchema, ...errorResponses(401, 404, 422) },
    }), async (request) => campaigns[action](principalOf(request), request.params.id));
  }

  app.get('/api/v1/campaigns/:id/recipients', signedIn.byId({
    summary: 'Who got what: each recipient with its message’s status, error or skip reason',
    description: 'Paged by contact id; `status=skipped` lists the contacts left out for a missing template variable.',
    querystring: RecipientQuerySchema,
    response: { 200: RecipientPageSchema, ...errorResponses(400, 401, 404) },
  }), async (request) => campaigns.listRecipients(request.params.id, request.query));

  app.get('/api/v1/campaigns/:id/recipients.csv', signedIn.byId({
    summary: 'The whole recipient report as CSV',
    produces: ['text/csv'],
    response: { 200: Type.String({ description: 'CSV with a header row' }), ...errorResponses(401, 404) },
  }), async (request, reply) => {
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
