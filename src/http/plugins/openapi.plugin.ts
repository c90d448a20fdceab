/**
 * The OpenAPI 3 document at `/api/openapi.json` and its browsable page at `/api/docs`. Registered
 * before every route module: @fastify/swagger learns routes as they are added, so a route added
 * earlier would be missing from the document.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SESSION_COOKIE } from './auth.plugin.js';

/** `security` for a route anyone may call (the document's default asks for a session or key). */
export const publicRoute = [] as const;

export const openApiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'FlowChat API',
          version: '1',
          description:
            'A self-hostable WhatsApp CRM. Sign in with `POST /api/v1/auth/login` and send the returned token as ' +
            '`Authorization: Bearer <token>`, or create an API key (admins) and send it the same way. Errors are ' +
            '`{"error": {"code", "message", "details"}}`.',
        },
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'A session token from login, or an API key (`fc_…`)' },
            cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The browser session; writes must come from this origin' },
          },
        },
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { validatorUrl: null, persistAuthorization: true } });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'flowchat-openapi' },
);
