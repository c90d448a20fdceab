/**
 * `GET /api/v1/events`: Server-Sent Events of every FlowChat process on this database. Headers go
 * out at once; with `Last-Event-ID` the missed events are replayed from the event log first, then
 * live ones follow without a gap (events arriving during the replay wait and are deduplicated).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../app-context.js';
import type { StreamEvent } from './event-hub.js';
import { SseStream } from './sse-stream.js';
import { eventVisible } from '../channels/channel-access.js';
import { principalOf, requireAuth } from '../http/plugins/auth.plugin.js';
import { errorResponses } from '../http/schemas/error.schema.js';

const replayPage = 500;
const visibilityRefreshMs = 10_000;
const reconnectAfterMs = 2_000;

function eventId(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

export const eventRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const streams = new Set<SseStream>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close();
  });
  app.addHook('onClose', async () => ctx.events.close());

  async function replay(stream: SseStream, after: number, sent: Set<number>, visible: () => string[] | null): Promise<void> {
    let cursor = after;
    while (!stream.isClosed) {
      const rows = await ctx.events.logAfter(cursor, replayPage);
      for (const row of rows) {
        if (eventVisible(row.data, visible())) stream.send(row);
        sent.add(row.id);
      }
      const last = rows.at(-1);
      if (!last || rows.length < replayPage) return;
      cursor = last.id;
    }
  }

  app.get(
    '/api/v1/events',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['events'],
        summary: 'Live events (Server-Sent Events)',
        description:
          '`message.created`, `message.updated`, `contact.updated`, `campaign.updated`: each with `id`, `event` and `data` (the resource as the REST API returns it); a comment line at least every 15 s. Reconnect with `Last-Event-ID` to replay what was missed.',
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 32 })) }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      reply.hijack();
      const stream = new SseStream(reply.raw, ctx.config.sseHeartbeatSeconds * 1000);
      streams.add(stream);
      const after = eventId(request.headers['last-event-id']);
      // Held until the replay (if any) is sent and it is known which channels the principal may see.
      let held: StreamEvent[] | undefined = [];
      // An agent's stream carries only the channels they may see, looked up again now and then.
      const principal = principalOf(request);
      let visible: string[] | null = [];
      // What the replay sent: the live path may bring an event committed while the replay read the log.
      const sent = new Set<number>();
      const send = (event: StreamEvent): void => {
        if (!sent.has(event.id) && eventVisible(event.data, visible)) stream.send(event);
      };
      const unsubscribe = ctx.events.subscribe((event) => (held ? held.push(event) : send(event)));
      const lookup = (): Promise<void> => ctx.channelAccess.visibleChannels(principal).then((channels) => void (visible = channels));
      const refresh = setInterval(() => void lookup().catch(() => undefined), visibilityRefreshMs);
      reply.raw.on('close', () => {
        unsubscribe();
        clearInterval(refresh);
        streams.delete(stream);
      });
      try {
        await lookup();
        await ctx.events.ready();
        stream.ready(reconnectAfterMs);
        if (after !== undefined) await replay(stream, after, sent, () => visible);
        const waiting = held ?? [];
        held = undefined;
        for (const event of waiting) send(event);
      } catch (error) {
        request.log.error({ err: error }, 'event stream could not start');
        stream.close();
      }
    },
  );
};
