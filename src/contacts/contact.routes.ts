/** Contacts: `POST/GET /api/v1/contacts`, `GET/PATCH/DELETE /api/v1/contacts/:id`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { presentContact } from '../resources/contact.resource.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';
import {
  ContactCreateBodySchema, ContactListQuerySchema, ContactPageSchema, ContactPatchBodySchema, ContactSchema,
} from '../http/schemas/contact.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';

export const contactRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const contacts = ctx.services.contacts;
  const signedIn = routeGroup(['contacts'], { preHandler: requireAuth });

  app.get(
    '/api/v1/contacts',
    signedIn({
      summary: 'Search contacts',
      description: 'Filters by tags (all or any) and `q`; sorts by a whitelisted column; pages with `next_cursor`.',
      querystring: ContactListQuerySchema,
      response: { 200: ContactPageSchema, ...errorResponses(400, 401) },
    }),
    async (request) => {
      const page = await contacts.list(request.query);
      const now = Date.now();
      return { items: page.items.map((contact) => presentContact(contact, now)), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/contacts',
    signedIn({
      summary: 'Create a contact',
      body: ContactCreateBodySchema,
      response: { 201: ContactSchema, ...errorResponses(400, 401, 403, 409) },
    }),
    async (request, reply) => reply.status(201).send(presentContact(await contacts.create(request.body, principalOf(request)))),
  );

  app.get(
    '/api/v1/contacts/:id',
    signedIn.byId({ summary: 'Get a contact', response: { 200: ContactSchema, ...errorResponses(401, 404) } }),
    async (request) => {
      await ctx.channelAccess.assertContactVisible(principalOf(request), request.params.id);
      return presentContact(await contacts.get(request.params.id));
    },
  );

  app.patch(
    '/api/v1/contacts/:id',
    signedIn.byId({
      summary: 'Change a contact',
      body: ContactPatchBodySchema,
      response: { 200: ContactSchema, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (request) => presentContact(await contacts.update(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/v1/contacts/:id',
    signedIn.byId({
      summary: 'Delete a contact and its thread',
      response: { ...noContentResponse('Deleted'), ...errorResponses(401, 403, 404) },
    }),
    noContent((request) => contacts.delete(request.params.id, principalOf(request))),
  );
};
