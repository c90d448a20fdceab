/**
 * The legacy seed's way of queueing many messages, kept only as a baseline: one transaction,
 * and for every message a `findById` of its contact then an `INSERT … RETURNING *` (the seed's
 * `MessageService.sendBulkMessages` over its `BaseModel`), here for a campaign's audience. Two
 * round trips per recipient; FlowChat's enqueue is one statement.
 */
import type pg from 'pg';
import { timedTransaction } from '../support/timed-transaction.js';

/** Milliseconds to enqueue `template` to every contact tagged `tag`, the seed's way. */
export async function enqueueLikeTheSeed(pool: pg.Pool, tag: string, template: object, limit: number): Promise<number> {
  return timedTransaction(pool, async (client) => {
    const campaign = await client.query<{ id: string }>(
      'INSERT INTO campaigns (name, template, audience, status) VALUES ($1, $2, $3, $4) RETURNING *',
      ['seed baseline', JSON.stringify(template), JSON.stringify({ tags: [tag] }), 'running'],
    );
    const audience = await client.query<{ id: string }>('SELECT id FROM contacts WHERE tags @> $1 ORDER BY id LIMIT $2', [[tag], limit]);
    for (const { id } of audience.rows) {
      const contact = await client.query('SELECT * FROM contacts WHERE id = $1', [id]);
      if (!contact.rows[0]) throw new Error('Contact not found');
      const data = { contact_id: id, campaign_id: campaign.rows[0]?.id, type: 'template', direction: 'outbound', status: 'pending', template: JSON.stringify(template) };
      const keys = Object.keys(data);
      const values = Object.values(data);
      await client.query(`INSERT INTO messages (${keys.join(', ')}) VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING *`, values);
    }
  });
}
