/**
 * Contact search: `GET /api/v1/contacts` as its route runs it (ContactService.list): tags (all
 * and any, common to rare) sorted by `message_count`, and `q` substrings of names, emails and
 * phone numbers.
 */
import type { CursorCodec } from '../../src/db/cursor.js';
import { ContactService, type ContactListQuery } from '../../src/contacts/contact.service.js';
import type { Figure } from '../results.js';
import { measureRead, type FloorRows, type ReadBench, type ReadCase } from './read-measure.js';
import { tagAt } from './tags.js';

const GOAL_MS = 50;

export async function searchFigures(bench: ReadBench, cursors: CursorCodec, tags: readonly string[]): Promise<Figure[]> {
  const service = new ContactService(bench.capture.db, cursors, undefined);
  const search = async (query: ContactListQuery): Promise<FloorRows> => {
    const page = await service.list({ limit: 50, ...query });
    return { contacts: page.items.map((contact) => contact.id) };
  };
  const pairs = [[1, 2], [1, 3], [2, 5], [1, 10], [3, 20], [2, 40], [5, 80], [1, 150], [10, 30], [4, 250]] as const;
  const byCount = { sort: 'message_count', order: 'desc' } as const;
  const tagRanks = [1, 10, 80, 250];
  const pairOf = ([a, b]: readonly [number, number]): string[] => [tagAt(tags, a), tagAt(tags, b)];
  const cases: ReadonlyArray<Pick<ReadCase<ContactListQuery>, 'id' | 'label' | 'inputs'>> = [
    {
      id: 'search.tags_all',
      label: 'Contact search, 2 tags (all), by message_count',
      inputs: pairs.map((pair) => ({ tags: pairOf(pair), match: 'all' as const, ...byCount })),
    },
    {
      id: 'search.tags_any',
      label: 'Contact search, 2 tags (any), by message_count',
      inputs: pairs.map((pair) => ({ tags: pairOf(pair), match: 'any' as const, ...byCount })),
    },
    {
      id: 'search.q',
      label: 'Contact search, q substring (name, email, phone)',
      inputs: ['silva', 'maria', 'okafor', 'joão p', 'ana s', 'patel', 'wijaya12', '201055', '(201) 000-12', 'example.com', 'zzqx'].map((q) => ({ q })),
    },
    {
      id: 'search.recent',
      label: 'Contact list by last activity (none, 1 tag; desc and asc)',
      inputs: [undefined, ...tagRanks].flatMap((rank) => (['desc', 'asc'] as const).map((order) => ({
        sort: 'last_message_at' as const, order, ...(rank === undefined ? {} : { tags: [tagAt(tags, rank)] }),
      }))),
    },
  ];
  const figures: Figure[] = [];
  for (const read of cases) figures.push(await measureRead(bench, { ...read, goalMs: GOAL_MS, run: search }));
  return figures;
}
