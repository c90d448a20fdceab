/** `/api/v1/automations` (admins) and `/api/v1/business-hours` (GET: anyone signed in; PUT: admins). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAdmin, requireAuth } from '../http/plugins/auth.plugin.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';
import { AutomationCreateBodySchema, AutomationListSchema, AutomationPatchBodySchema, AutomationSchema } from './automation.schema.js';
import { presentAutomation } from './automation.service.js';
import { loadBusinessHours, saveBusinessHours } from './business-hours.js';

const interval = Type.Tuple([Type.String({ pattern: '^\\d{2}:\\d{2}$' }), Type.String({ pattern: '^\\d{2}:\\d{2}$' })], { description: '["HH:MM", "HH:MM"], local time; the end may be 24:00' });
const day = Type.Optional(Type.Array(interval, { maxItems: 10 }));

const BusinessHoursSchema = Type.Object(
  {
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. `America/Sao_Paulo`' }),
    week: Type.Object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }, { additionalProperties: false, description: 'A day left out or empty is closed' }),
    closed_dates: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366, description: 'Closed all day (YYYY-MM-DD, in the time zone)' }),
  },
  { additionalProperties: false },
);

export const automationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const automations = ctx.services.automations;
  const tags = ['automations'];
  const admin = routeGroup(tags, { onRequest: requireAdmin });
  const signedIn = routeGroup(tags, { preHandler: requireAuth });

  app.get('/api/v1/automations', admin({ summary: 'List automations in the order they run', response: { 200: AutomationListSchema, ...errorResponses(401, 403) } }),
    async () => ({ items: (await automations.list()).map(presentAutomation) }));

  app.post('/api/v1/automations', admin({
    summary: 'Create an automation',
    description: 'A rule run on inbound messages: when its trigger fires and every condition holds, its actions run in order. At most one automatic reply goes out per inbound message (the first rule by creation order wins).',
    body: AutomationCreateBodySchema,
    response: { 201: AutomationSchema, ...errorResponses(400, 401, 403, 404) },
  }), async (request, reply) => reply.status(201).send(presentAutomation(await automations.create(principalOf(request), request.body))));

  app.get('/api/v1/automations/:id', admin.byId({ summary: 'Get an automation', response: { 200: AutomationSchema, ...errorResponses(401, 403, 404) } }),
    async (request) => presentAutomation(await automations.get(request.params.id)));

  app.patch('/api/v1/automations/:id', admin.byId({
    summary: 'Change an automation (enable, disable, edit)',
    body: AutomationPatchBodySchema,
    response: { 200: AutomationSchema, ...errorResponses(400, 401, 403, 404) },
  }), async (request) => presentAutomation(await automations.update(principalOf(request), request.params.id, request.body)));

  app.delete('/api/v1/automations/:id', admin.byId({ summary: 'Delete an automation', response: { ...noContentResponse('Deleted'), ...errorResponses(401, 403, 404) } }),
    noContent((request) => automations.delete(principalOf(request), request.params.id)));

  app.get('/api/v1/business-hours', signedIn({ summary: 'The team’s business hours', response: { 200: BusinessHoursSchema, ...errorResponses(401) } }),
    async () => loadBusinessHours(ctx.db));

  app.put('/api/v1/business-hours', admin({
    summary: 'Set the business hours',
    description: 'Automations with `outside_business_hours` read them. An unknown time zone is 400.',
    body: BusinessHoursSchema,
    response: { 200: BusinessHoursSchema, ...errorResponses(400, 401, 403) },
  }), async (request) => saveBusinessHours(ctx.db, request.body));
};
