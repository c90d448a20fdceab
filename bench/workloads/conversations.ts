/**
 * The inbox's conversation list: `GET /api/v1/conversations` as its route runs it
 * (ConversationService.list: newest activity first, with unread counts and last-message
 * previews, 50 a page), unfiltered, by tag (common to rare), by assignee, and deeper by cursor.
 */
import type { CursorCodec } from '../../src/db/cursor.js';
import { ConversationService, type ConversationQuery } from '../../src/inbox/conversation.service.js';
import type { Principal } from '../../src/auth/auth.service.js';
import type { Figure } from '../results.js';
import { measureRead, type FloorRows, type ReadBench } from './read-measure.js';
import { tagAt } from './tags.js';

const GOAL_MS = 20;

export async function conversationFigures(bench: ReadBench, cursors: CursorCodec, tags: readonly string[]): Promise<Figure[]> {
  const agents = await bench.pool.query<{ id: string }>("SELECT id FROM users WHERE role = 'agent' ORDER BY email");
  const first = agents.rows[0];
  if (!first) throw new Error('the data set has no agents');
  const principal: Principal = { type: 'user', userId: first.id, role: 'admin' };
  const service = new ConversationService(bench.capture.db, cursors);
  const list = async (query: ConversationQuery): Promise<FloorRows> => {
    const page = await service.list({ limit: 50, ...query }, principal);
    return { contacts: page.items.map((item) => item.contact.id), messages: page.items.map((item) => item.last_message?.id ?? null) };
  };

  const positions = await bench.pool.query<{ last_message_at: Date; id: string }>(`
    SELECT last_message_at, id FROM (
      SELECT last_message_at, id, row_number() OVER (ORDER BY last_message_at DESC, id DESC) AS n
      FROM contacts WHERE last_message_at IS NOT NULL ORDER BY last_message_at DESC, id DESC LIMIT 5000
    ) ranked WHERE n % 250 = 0
  `);
  const tagRanks = [1, 2, 3, 5, 10, 20, 40, 80, 150, 250];
  return [
    await measureRead(bench, {
      id: 'conversations.newest',
      label: 'Conversation list, newest activity (all, open, closed)',
      goalMs: GOAL_MS,
      inputs: [{}, { status: 'open' as const }, { status: 'closed' as const }],
      run: list,
    }),
    await measureRead(bench, {
      id: 'conversations.tag',
      label: 'Conversation list by tag (10 tags, common to rare; open, and all)',
      goalMs: GOAL_MS,
      inputs: tagRanks.flatMap((rank) => [{ tag: tagAt(tags, rank), status: 'open' as const }, { tag: tagAt(tags, rank) }]),
      run: list,
    }),
    await measureRead(bench, {
      id: 'conversations.assignee',
      label: 'Conversation list by assignee (each agent\'s open ones, unassigned)',
      goalMs: GOAL_MS,
      inputs: [...agents.rows.map((agent) => ({ assignee: agent.id, status: 'open' as const })), { assignee: 'none' }],
      run: list,
    }),
    await measureRead(bench, {
      id: 'conversations.deep',
      label: 'Conversation list, pages 5 to 100 by cursor',
      goalMs: GOAL_MS,
      inputs: positions.rows.map((row) => ({ cursor: cursors.encode({ value: row.last_message_at, id: row.id }, 'conversations') })),
      run: list,
    }),
  ];
}
