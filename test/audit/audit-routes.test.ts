/**
 * `GET /api/v1/audit`: entries newest first in the contract's shape, keyset pages that neither skip
 * nor repeat entries sharing a timestamp, the filters, admin-only access, and append-only storage.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { recordAudit, systemActor, type AuditEntry } from '../../src/audit/record-audit.js';
import { transaction } from '../../src/db/transaction.js';
import { DatabaseError } from '../../src/shared/errors.js';
import { bearer, signedInUser } from '../support/app.js';
import { forEachEngine } from '../support/databases.js';
import { suiteApp } from '../support/suite-app.js';

interface AuditItem {
  id: string;
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  details: Record<string, unknown>;
}

interface AuditPage {
  items: AuditItem[];
  next_cursor: string | null;
}

forEachEngine('audit log', (suite) => {
  const test = suiteApp(suite);
  let admin: { authorization: string };

  before(async () => {
    admin = bearer((await signedInUser(test.ctx, 'admin')).token);
  });

  const read = async (query = ''): Promise<AuditPage> => {
    const response = await test.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: admin });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<AuditPage>();
  };

  it('shows entries newest first as {id, at, actor, action, target, details}', async () => {
    const entry: AuditEntry = {
      actor: { type: 'api_key', id: '5b0e0c0e-1111-4222-8333-444455556666' },
      action: 'contact.deleted',
      target: { type: 'contact', id: '7d3c2b1a-0000-4000-8000-000000000001' },
      details: { phone: '+14155550123' },
    };
    await transaction(test.ctx.db, (trx) => recordAudit(trx, { actor: systemActor, action: 'contacts.imported', details: { created: 3 } }));
    await transaction(test.ctx.db, (trx) => recordAudit(trx, entry));

    const page = await read('?limit=2');
    const [newest, older] = page.items;
    assert.deepEqual({ ...newest, id: undefined, at: undefined }, {
      id: undefined, at: undefined, actor: entry.actor, action: 'contact.deleted', target: entry.target, details: { phone: '+14155550123' },
    });
    assert.match(newest?.id ?? '', /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(newest?.at ?? '')));
    assert.deepEqual(older?.actor, { type: 'system', id: null });
    assert.deepEqual(older?.target, { type: null, id: null });
  });

  it('pages through entries that share a timestamp without skipping or repeating one', async () => {
    const target = '9a9a9a9a-0000-4000-8000-00000000abcd';
    // One transaction: every entry gets the same `at`, so only the id orders them.
    await transaction(test.ctx.db, async (trx) => {
      for (let index = 0; index < 7; index += 1) {
        await recordAudit(trx, { actor: systemActor, action: 'campaign.paused', target: { type: 'campaign', id: target }, details: { index } });
      }
    });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?target_id=${target}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await read(query);
      seen.push(...page.items.map((item) => Number(item.details['index'])));
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [6, 5, 4, 3, 2, 1, 0]);
  });

  it('filters by actor, actor type, action, target and time range', async () => {
    const actorId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    await transaction(test.ctx.db, (trx) => recordAudit(trx, { actor: { type: 'user', id: actorId }, action: 'user.updated', target: { type: 'user', id: actorId } }));
    const byActor = await read(`?actor=${actorId}`);
    assert.deepEqual(byActor.items.map((item) => item.action), ['user.updated']);
    assert.ok((await read('?action=campaign.paused')).items.every((item) => item.action === 'campaign.paused'));
    assert.ok((await read('?actor_type=system')).items.every((item) => item.actor.type === 'system'));
    assert.ok((await read('?target_type=contact')).items.every((item) => item.target.type === 'contact'));

    const all = await read('?limit=200');
    const newest = all.items[0];
    assert.ok(newest);
    const fromNewest = await read(`?from=${encodeURIComponent(newest.at)}`);
    assert.ok(fromNewest.items.length >= 1 && fromNewest.items.every((item) => item.at >= newest.at));
    const beforeNewest = await read(`?to=${encodeURIComponent(newest.at)}&limit=200`);
    assert.ok(beforeNewest.items.every((item) => item.at < newest.at));
    assert.equal(fromNewest.items.length + beforeNewest.items.length, all.items.length);
    const future = await read(`?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    assert.deepEqual(future.items, []);
  });

  it('answers 400 for a bad filter, limit or cursor', async () => {
    for (const query of ['?action=contact.exploded', '?limit=0', '?limit=201', '?from=yesterday', '?actor_type=robot', '?cursor=forged.cursor',
      `?from=${encodeURIComponent('2024-02-01T00:00:00Z')}&to=${encodeURIComponent('2024-01-01T00:00:00Z')}`, '?unknown=1']) {
      const response = await test.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: admin });
      assert.equal(response.statusCode, 400, query);
    }
  });

  it('is for admins only', async () => {
    assert.equal((await test.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 401);
    const agent = bearer((await signedInUser(test.ctx, 'agent')).token);
    const forbidden = await test.app.inject({ method: 'GET', url: '/api/v1/audit', headers: agent });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json<{ error: { code: string } }>().error.code, 'forbidden');
  });

  it('is append-only: no route changes or deletes entries, nor can the database', async () => {
    const [entry] = (await read('?limit=1')).items;
    assert.ok(entry);
    for (const method of ['DELETE', 'PATCH', 'PUT'] as const) {
      for (const url of ['/api/v1/audit', `/api/v1/audit/${entry.id}`]) {
        const response = await test.app.inject({ method, url, headers: admin, payload: {} });
        assert.ok(response.statusCode === 404 || response.statusCode === 405, `${method} ${url}: ${response.statusCode}`);
      }
    }
    const refused = (error: unknown): boolean => error instanceof DatabaseError && error.sqlState === '42501' && String((error.cause as Error).message).includes('append-only');
    await assert.rejects(sql`UPDATE audit_log SET action = 'user.created' WHERE id = ${Number(entry.id)}`.execute(test.ctx.db), refused);
    await assert.rejects(sql`DELETE FROM audit_log WHERE id = ${Number(entry.id)}`.execute(test.ctx.db), refused);
    assert.equal((await read('?limit=1')).items[0]?.action, entry.action);
  });
});
