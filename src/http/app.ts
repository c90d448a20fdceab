/**
 * The HTTP application: Fastify with TypeBox schemas, one error format, and every route module.
 * `buildApp` does not listen, so tests drive it with `inject` or on an ephemeral port.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.js';
import cookie from '@fastify/cookie';
import { registerErrorHandling } from './error-handler.js';
import { registerWebApp } from './plugins/web-app.plugin.js';
import { authPlugin } from './plugins/auth.plugin.js';
import { metricsPlugin } from './plugins/metrics.plugin.js';
import { openApiPlugin } from './plugins/openapi.plugin.js';
import { jsonBodyPlugin } from './plugins/json-body.plugin.js';
import { jsonDepthPlugin } from './plugins/json-depth.plugin.js';
import { oversizeBodyPlugin } from './plugins/oversize-body.plugin.js';
import { securityPlugin } from './plugins/security.plugin.js';
import { apiKeyRoutes } from '../auth/api-key.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { authRoutes } from '../auth/auth.routes.js';
import { campaignRoutes } from '../campaigns/campaigns.routes.js';
import { contactImportRoutes } from '../contacts/contact-import.routes.js';
import { contactRoutes } from '../contacts/contact.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { eventRoutes } from '../events/events.routes.js';
import { messageRoutes } from '../messages/messages.routes.js';
import { sandboxRoutes } from '../whatsapp/sandbox.routes.js';
import { settingsRoutes } from './routes/settings.routes.js';
import { whatsappWebhookRoutes } from '../whatsapp/inbound/whatsapp-webhook.routes.js';
import { conversationRoutes } from '../inbox/conversation.routes.js';
import { segmentRoutes } from '../campaigns/segments.routes.js';
import { userRoutes } from '../auth/user.routes.js';
import { webhookRoutes } from '../outbound-webhooks/webhooks.routes.js';
import { reactionRoutes } from '../messages/reactions.routes.js';
import { templateRoutes } from '../templates/templates.routes.js';
import { automationRoutes } from '../automations/automation.routes.js';
import { inboxRoutes } from '../inbox/inbox.routes.js';
import { mediaRoutes } from '../media/media.routes.js';
import { channelRoutes } from '../channels/channel.routes.js';

/** The application as route modules see it: TypeBox schemas type each request and reply. */
export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function buildApp(ctx: AppContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    trustProxy: [...ctx.config.trustProxy],
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(securityPlugin);
  await app.register(oversizeBodyPlugin);
  await app.register(jsonDepthPlugin);
  await app.register(jsonBodyPlugin);
  // Before every route module: the OpenAPI document only knows routes added after it.
  await app.register(openApiPlugin);
  await app.register(metricsPlugin, { pool: ctx.database.pool });
  await app.register(authPlugin, { auth: ctx.auth });
  await registerWebApp(app);
  await app.register(healthRoutes, { ctx });
  await app.register(messageRoutes, { ctx });
  await app.register(whatsappWebhookRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(settingsRoutes, { ctx });
  if (ctx.whatsapp.sandbox) await app.register(sandboxRoutes, { ctx });
  await app.register(conversationRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(userRoutes, { ctx });
  await app.register(apiKeyRoutes, { ctx });
  await app.register(contactRoutes, { ctx });
  await app.register(contactImportRoutes, { ctx });
  await app.register(webhookRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(campaignRoutes, { ctx });
  await app.register(segmentRoutes, { ctx });
  await app.register(templateRoutes, { ctx });
  await app.register(reactionRoutes, { ctx });
  await app.register(automationRoutes, { ctx });
  await app.register(inboxRoutes, { ctx });
  await app.register(mediaRoutes, { ctx });
  await app.register(channelRoutes, { ctx });
  return app;
}
