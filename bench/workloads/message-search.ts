/**
 * Message search: `GET /api/v1/messages/search` as its route runs it (the full-text query of
 * MessageSearchRepository, newest first, 50 a page, the next cursor signed) over the whole inbox
 * and within one long thread: common and rare words, words that appear together and words that
 * never do, accents and case that must not matter, and a second page reached by its cursor.
 */
import type { CursorCodec } from '../../src/db/cursor.js';
import { presentMessage } from '../../src/resources/message.resource.js';
import { MessageSearchRepository } from '../../src/inbox/message-search.repository.js';
import type { Figure } from '../results.js';
import { measureRead, type FloorRows, type ReadBench } from './read-measure.js';

const GOAL_MS = 50;
const scope = 'message-search';

interface SearchInput {
  readonly q: string;
  readonly contactId?: string;
  readonly secondPage?: boolean;
}

export async function messageSearchFigures(bench: ReadBench, cursors: CursorCodec): Promise<Figure[]> {
  const repository = new MessageSearchRepository(bench.capture.db);
  const search = async (input: SearchInput): Promise<FloorRows> => {
    let page = await repository.search({ q: input.q, limit: 50, ...(input.contactId ? { contactId: input.contactId } : {}) });
    if (input.secondPage && page.next) {
      const after = cursors.decode(cursors.encode(page.next, scope), scope);
      page = await repository.search({ q: input.q, limit: 50, after, ...(input.contactId ? { contactId: input.contactId } : {}) });
    }
    const items = page.items.map((hit) => ({ ...presentMessage(hit), contact: { id: hit.contact_id, name: hit.contact_name, phone: hit.contact_phone } }));
    if (page.next) cursors.encode(page.next, scope);
    return { messages: items.map((item) => item.id) };
  };
  const longThreads = await bench.pool.query<{ id: string }>('SELECT id FROM contacts ORDER BY message_count DESC LIMIT 5');
  const words = ['order', 'ORDER', 'invoice', 'promoção', 'promotion valid', 'delivery address', 'recife', 'larger size', 'thank', 'zzqx'];
  const apart = ['invoice recife', 'promotion store', 'payment size', 'cancel invoice'];
  return [
    await measureRead(bench, {
      id: 'message_search.inbox',
      label: 'Message search over every thread (1 and 2 words, accents and case ignored; first and second page)',
      goalMs: GOAL_MS,
      inputs: words.flatMap((q) => [{ q }, { q, secondPage: true }]),
      run: search,
    }),
    await measureRead(bench, {
      id: 'message_search.apart',
      label: 'Message search, words that never appear in one message',
      goalMs: GOAL_MS,
      inputs: apart.map((q) => ({ q })),
      run: search,
    }),
    await measureRead(bench, {
      id: 'message_search.thread',
      label: 'Message search within one of the longest threads',
      goalMs: GOAL_MS,
      inputs: longThreads.rows.flatMap((row) => ['order', 'invoice', 'zzqx'].map((q) => ({ q, contactId: row.id }))),
      run: search,
    }),
  ];
}
