/**
 * `GET /healthz`: 200 while the database answers, 503 (within seconds, never hanging) while it does
 * not. When WhatsApp sending is paused (an expired token, a blocked account) it still answers 200,
 * as FlowChat keeps receiving, but says `degraded` and why.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { SenderStateSchema } from '../schemas/settings.schema.js';
import { presentSenderState } from './settings.routes.js';
import { publicRoute } from '../plugins/openapi.plugin.js';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  sender: Type.Optional(SenderStateSchema),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database health',
        security: publicRoute,
        response: { 200: HealthSchema, 503: Type.Object({ status: Type.Literal('unavailable'), reason: Type.String() }) },
      },
    },
    async (_request, reply) => {
      const healthy = await ctx.database.healthCheck(2_000);
      if (!healthy) return reply.status(503).send({ status: 'unavailable' as const, reason: 'database_unreachable' });
      const pause = await ctx.whatsapp.senderPause().catch(() => undefined);
      if (pause) return { status: 'degraded' as const, sender: presentSenderState(pause) };
      return { status: 'ok' as const };
    },
  );
};
