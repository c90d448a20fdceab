/** `POST /api/v1/messages/:id/reactions {emoji}`: an agent reacts to a message (`""` removes the reaction); 202. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { presentMessage } from '../resources/message.resource.js';
import { IdParamsSchema } from '../http/schemas/common.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { MessageSchema } from '../http/schemas/message.schema.js';
import { invalidField } from '../shared/errors.js';

const ReactionBodySchema = Type.Object(
  { emoji: Type.String({ maxLength: 32, description: 'One emoji; `""` removes your reaction' }) },
  { additionalProperties: false },
);

const emojiPattern = /^(?=.*[\p{Extended_Pictographic}\p{Regional_Indicator}])[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\p{Emoji_Component}\u200d\ufe0f\u20e3]+$/u;

export const reactionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const reactions = ctx.services.reactions;

  app.post(
    '/api/v1/messages/:id/reactions',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['messages'],
        summary: 'React to a message',
        description:
          'Sends `{"type":"reaction","reaction":{"message_id":"<wamid>","emoji":"…"}}` to WhatsApp (paced, at most once) and shows the reaction on the message at once. Only inside the 24-hour window (422 `window_closed`) and only to a message with a wamid (422 `reaction_target_not_sent`).',
        params: IdParamsSchema,
        body: ReactionBodySchema,
        response: { 202: MessageSchema, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { emoji } = request.body;
      if (emoji !== '' && !emojiPattern.test(emoji)) throw invalidField('emoji', 'must be one emoji, or "" to remove the reaction');
      await ctx.channelAccess.assertMessageVisible(principalOf(request), request.params.id);
      const message = await reactions.react(principalOf(request), request.params.id, emoji);
      return reply.status(202).send(presentMessage(message));
    },
  );
};
