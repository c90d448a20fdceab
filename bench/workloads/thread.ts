/**
 * The thread: `GET /api/v1/contacts/:id/messages` as its route runs it (MessageService.thread,
 * presented, the next cursor signed), for the 50 newest messages and for pages deep in long
 * threads reached by a cursor.
 */
import type { CursorCodec } from '../../src/db/cursor.js';
import { presentMessage } from '../../src/resources/message.resource.js';
import { ChannelChoice } from '../../src/channels/channel-choice.js';
import { ChannelDirectory } from '../../src/channels/channel-directory.js';
import { loadConfig } from '../../src/config/env.js';
import { MessageService } from '../../src/messages/message.service.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Figure } from '../results.js';
import { measureRead, type ReadBench } from './read-measure.js';

const GOAL_MS = 5;

export async function threadFigures(bench: ReadBench, cursors: CursorCodec): Promise<Figure[]> {
  const channels = new ChannelChoice(await ChannelDirectory.open(bench.capture.db, loadConfig(), silentLogger()));
  const messages = new MessageService({ db: bench.capture.db, wakeSender: () => undefined, sendReadReceipt: () => undefined, channels });
  const scope = (contactId: string): string => `thread:${contactId}`;
  const page = async (contactId: string, cursor?: string) => {
    const before = cursor === undefined ? undefined : cursors.decode(cursor, scope(contactId));
    const result = await messages.thread(contactId, { limit: 50, ...(before ? { before } : {}) });
    const items = result.items.map(presentMessage);
    if (result.next) cursors.encode(result.next, scope(contactId));
    return { messages: items.map((item) => item.id) };
  };

  // Most threads are short; a fifth of the sample are the longest threads of the data set.
  const sample = await bench.pool.query<{ id: string }>(`
    (SELECT id FROM contacts WHERE message_count > 0 ORDER BY random() LIMIT 160)
    UNION ALL (SELECT id FROM contacts ORDER BY message_count DESC LIMIT 40)
  `);
  const deep = await bench.pool.query<{ contact_id: string; created_at: Date; id: string }>(`
    SELECT m.contact_id, m.created_at, m.id
    FROM (SELECT id, message_count FROM contacts ORDER BY message_count DESC LIMIT 100) c
    CROSS JOIN LATERAL (
      SELECT contact_id, created_at, id FROM messages WHERE contact_id = c.id ORDER BY created_at DESC, id DESC
      OFFSET floor(random() * greatest(c.message_count - 100, 1))::int LIMIT 1
    ) m
  `);
  const deepCursors = deep.rows.map((row) => ({ contactId: row.contact_id, cursor: cursors.encode({ value: row.created_at, id: row.id }, scope(row.contact_id)) }));

  return [
    await measureRead(bench, {
      id: 'thread.newest',
      label: 'Thread page, 50 newest',
      goalMs: GOAL_MS,
      inputs: sample.rows.map((row) => row.id),
      run: (contactId) => page(contactId),
    }),
    await measureRead(bench, {
      id: 'thread.deep',
      label: 'Thread page deep in the 100 longest threads, by cursor',
      goalMs: GOAL_MS,
      inputs: deepCursors,
      run: ({ contactId, cursor }) => page(contactId, cursor),
    }),
  ];
}
