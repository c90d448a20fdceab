/**
 * `POST /api/v1/sandbox/inbound` (admins, sandbox channel only): a simulated customer writes in,
 * through the same webhook processing as a real one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import { simulateCustomerMessage } from './sandbox.service.js';
import { requireAdmin } from '../http/plugins/auth.plugin.js';
import { presentContact } from '../resources/contact.resource.js';
import { presentMessage } from '../resources/message.resource.js';
import { ContactSchema } from '../http/schemas/contact.schema.js';
import { errorResponses } from '../http/schemas/error.schema.js';
import { MessageSchema } from '../http/schemas/message.schema.js';

export const sandboxRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/sandbox/inbound',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['sandbox'],
        summary: 'Simulate a customer’s message (sandbox channel only)',
        body: Type.Object(
          {
            phone: Type.String({ minLength: 1, maxLength: 64, description: 'E.164, or national with FLOWCHAT_DEFAULT_COUNTRY set' }),
            name: Type.Optional(Type.String({ maxLength: 255 })),
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, pattern: '\\S', description: 'The message, or the caption of `media_id`' })),
            media_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A file from `POST /api/v1/media` the customer sends' })),
            voice: Type.Optional(Type.Boolean({ description: 'Audio only: a voice note' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ contact: ContactSchema, message: MessageSchema }), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { contact, message } = await simulateCustomerMessage(ctx.db, ctx.whatsapp, ctx.config.defaultCountry, request.body);
      return reply.status(201).send({ contact: presentContact(contact), message: presentMessage(message) });
    },
  );
};
