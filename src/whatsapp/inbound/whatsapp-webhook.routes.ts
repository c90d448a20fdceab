/**
 * Meta's webhook endpoint, one URL for every channel. `GET /webhooks/whatsapp` answers the
 * subscription handshake with any channel's verify token; `POST /webhooks/whatsapp` checks
 * `X-Hub-Signature-256` over the raw bytes against every channel's app secret (401 and nothing
 * stored otherwise), refuses a signed body that is not JSON (400), stores the rest and answers
 * 200 at once; processing follows in the background and routes each change to its channel.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../shared/errors.js';
import { isValidSignature } from './webhook-signature.js';
import { errorResponses } from '../../http/schemas/error.schema.js';
import { publicRoute } from '../../http/plugins/openapi.plugin.js';

/** Meta sends at most 3 MB per POST; anything larger did not come from Meta. */
const maxWebhookBytes = 3 * 1024 * 1024;

/** JSON is UTF-8: a body that is not (Meta never sends one) is malformed rather than silently repaired. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether a channel's app secret signed the body; an unknown signature reloads the channels once a second at most. */
async function signedByAnyChannel(ctx: AppContext, raw: Buffer, signature: string | undefined): Promise<boolean> {
  if (signature === undefined) return false;
  if (ctx.channels.signedByAnyChannel(raw, signature)) return true;
  return (await ctx.channels.refreshIfStale()) && ctx.channels.signedByAnyChannel(raw, signature);
}

export const whatsappWebhookRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['whatsapp webhooks'];
  // This plugin only: bodies stay raw bytes, as the signature covers exactly what was received.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxWebhookBytes }, (_request, body, done) => done(null, body));

  app.get(
    '/webhooks/whatsapp',
    {
      schema: {
        tags,
        summary: 'Webhook subscription handshake (Meta)',
        security: publicRoute,
        querystring: Type.Object({
          'hub.mode': Type.Optional(Type.String({ maxLength: 64 })),
          'hub.verify_token': Type.Optional(Type.String({ maxLength: 1024 })),
          'hub.challenge': Type.Optional(Type.String({ maxLength: 1024 })),
        }),
        response: { 200: Type.String({ description: '`hub.challenge`, as plain text' }), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = request.query;
      if (mode !== 'subscribe' || token === undefined || challenge === undefined) throw new AppError('verify_token_mismatch');
      // A channel added by another process a moment ago is known after one reload.
      if (!ctx.channels.verifyTokenMatches(token) && !((await ctx.channels.refreshIfStale()) && ctx.channels.verifyTokenMatches(token))) {
        throw new AppError('verify_token_mismatch');
      }
      return reply.type('text/plain; charset=utf-8').send(challenge);
    },
  );

  app.post(
    '/webhooks/whatsapp',
    {
      bodyLimit: maxWebhookBytes,
      // Read by Meta's servers, never by a browser; this route takes thousands of requests a second.
      config: { securityHeaders: false },
      schema: {
        tags,
        summary: 'Inbound messages and statuses (Meta)',
        security: publicRoute,
        description: 'Signed with `X-Hub-Signature-256`; stored, then processed in the background.',
        headers: Type.Object({ 'x-hub-signature-256': Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ received: Type.Boolean() }), ...errorResponses(400, 401, 413) },
      },
    },
    async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['x-hub-signature-256'];
      if (!isValidSignature(raw, signature, ctx.config.whatsappAppSecret) && !(await signedByAnyChannel(ctx, raw, signature))) throw new AppError('invalid_signature');
      let text: string;
      try {
        text = strictUtf8.decode(raw);
        JSON.parse(text);
      } catch {
        throw new AppError('invalid_json');
      }
      await ctx.whatsapp.ingest.store(text, 'cloud_api');
      return { received: true };
    },
  );
};
