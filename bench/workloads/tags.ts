/** The data set's tags by popularity, for choosing filters from common to rare. */
import type pg from 'pg';

/** Every tag in use, most used first. */
export async function tagsByPopularity(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ tag: string }>('SELECT tag FROM contacts, unnest(tags) AS tag GROUP BY tag ORDER BY count(*) DESC, tag');
  return result.rows.map((row) => row.tag);
}

/** The tag at popularity rank `rank` (1 = most used), or the rarest when there are fewer. */
export function tagAt(tags: readonly string[], rank: number): string {
  const tag = tags[Math.min(rank, tags.length) - 1];
  if (tag === undefined) throw new Error('the data set has no tags');
  return tag;
}
