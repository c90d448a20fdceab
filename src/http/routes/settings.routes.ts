/**
 * `GET /api/v1/settings` (signed in): the channel (sandbox or Cloud API), pacing and keywords, and
 * the sender's state; `POST /api/v1/settings/sender/resume` (admins) lifts a pause once its cause
 * (an expired token, a blocked account) is dealt with.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../app-context.js';
import type { SenderPause } from '../../db/repositories/sender-state.repository.js';
import { requireAdmin, requireAuth } from '../plugins/auth.plugin.js';
import { errorResponses } from '../schemas/error.schema.js';
import { SenderStateSchema, SettingsSchema } from '../schemas/settings.schema.js';

export function presentSenderState(pause: SenderPause | undefined) {
  return {
    state: pause ? ('paused' as const) : ('running' as const),
    code: pause?.code ?? null,
    reason: pause?.reason ?? null,
    paused_at: pause ? pause.pausedAt.toISOString() : null,
  };
}

export const settingsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['settings'];
  const { config } = ctx;

  app.get(
    '/api/v1/settings',
    { preHandler: requireAuth, schema: { tags, summary: 'Channel and sending settings', response: { 200: SettingsSchema, ...errorResponses(401) } } },
    async () => ({
      channel: ctx.whatsapp.kind,
      rate_limit: config.whatsappRateLimit,
      phone_number_id: config.whatsapp?.phoneNumberId ?? null,
      api_url: config.whatsapp ? config.whatsappApiUrl : null,
      daily_limit: config.dailyLimit ?? null,
      window_hours: 24,
      opt_out_keywords: [...config.optOutKeywords],
      opt_in_keywords: [...config.optInKeywords],
      sender: presentSenderState(await ctx.whatsapp.senderPause()),
    }),
  );

  app.post(
    '/api/v1/settings/sender/resume',
    {
      preHandler: requireAdmin,
      schema: { tags, summary: 'Resume a paused sender', response: { 200: SenderStateSchema, ...errorResponses(401, 403) } },
    },
    async () => {
      if (await ctx.whatsapp.resumeSender()) ctx.whatsapp.sender.wake();
      return presentSenderState(await ctx.whatsapp.senderPause());
    },
  );
};
