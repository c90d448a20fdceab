/**
 * Admins manage agents and admins: `GET/POST /api/v1/users`, `PATCH/DELETE /api/v1/users/:id`.
 * Everyone signed in may list the team (`GET /api/v1/agents`), so an agent can hand a conversation on.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAdmin, requireAuth } from '../http/plugins/auth.plugin.js';
import { presentUser } from '../resources/user.resource.js';
import { PageQuerySchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { noContent, noContentResponse, routeGroup } from '../http/route-group.js';
import { TeamSchema, UserCreateBodySchema, UserPageSchema, UserPatchBodySchema, UserSchema } from '../http/schemas/user.schema.js';

const CURSOR_SCOPE = 'users:created_at:asc';

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const users = ctx.services.users;
  const tags = ['users'];
  const admin = routeGroup(tags, { preHandler: requireAdmin });
  const signedIn = routeGroup(tags, { preHandler: requireAuth });

  app.get(
    '/api/v1/users',
    admin({ summary: 'List users, oldest first', querystring: PageQuerySchema, response: { 200: UserPageSchema, ...errorResponses(400, 401, 403) } }),
    async (request) => {
      const { limit, cursor } = request.query;
      const page = await users.list({
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { after: ctx.cursors.decode(cursor, CURSOR_SCOPE) }),
      });
      return { items: page.items.map(presentUser), next_cursor: page.next ? ctx.cursors.encode(page.next, CURSOR_SCOPE) : null };
    },
  );

  app.get(
    '/api/v1/agents',
    signedIn({
      summary: 'List the team, by name',
      description: 'Every user\'s id, name and role (no email), for assigning conversations. Any signed-in user.',
      response: { 200: TeamSchema, ...errorResponses(401) },
    }),
    async () => ({ items: await users.team() }),
  );

  app.post(
    '/api/v1/users',
    admin({
      summary: 'Create a user',
      body: UserCreateBodySchema,
      response: { 201: UserSchema, ...errorResponses(400, 401, 403, 409) },
    }),
    async (request, reply) => {
      const user = await users.createUser(request.body, principalOf(request));
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    admin.byId({
      summary: 'Change a user',
      description: 'Each field named replaces the old value. The last admin cannot become an agent (422 `last_admin`).',
      body: UserPatchBodySchema,
      response: { 200: UserSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (request) => presentUser(await users.updateUser(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/v1/users/:id',
    admin.byId({
      summary: 'Delete a user',
      description: 'Their messages stay (without an author); their sessions and API keys end. The last admin cannot be deleted (422 `last_admin`).',
      response: { ...noContentResponse('Deleted'), ...errorResponses(401, 403, 404, 422) },
    }),
    noContent((request) => users.deleteUser(request.params.id, principalOf(request))),
  );
};
