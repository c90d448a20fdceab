import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ContactRepository } from '../../src/db/repositories/contact.repository.js';
import { afterCommit, transaction } from '../../src/db/transaction.js';
import { ConflictError, DatabaseError } from '../../src/shared/errors.js';
import { forEachEngine } from '../support/databases.js';

forEachEngine('transactions', (suite) => {
  it('a failing nested transaction rolls back to its savepoint only; the outer one commits', async () => {
    const db = suite.database.db;
    await transaction(db, async (trx) => {
      const contacts = new ContactRepository(db).with(trx);
      await contacts.create({ phone: '+15551000001', name: 'Outer' });
      await assert.rejects(
        transaction(trx, async (inner) => {
          await contacts.with(inner).create({ phone: '+15551000002', name: 'Inner' });
          await contacts.with(inner).create({ phone: '+15551000001', name: 'Duplicate' });
        }),
        ConflictError,
      );
      await transaction(trx, async (inner) => {
        await contacts.with(inner).create({ phone: '+15551000003', name: 'Second inner' });
      });
    });
    const contacts = new ContactRepository(db);
    assert.ok(await contacts.findByPhone('+15551000001'));
    assert.equal(await contacts.findByPhone('+15551000002'), undefined);
    assert.ok(await contacts.findByPhone('+15551000003'));
  });

  it('an error rolls back everything and afterCommit callbacks run only after a commit', async () => {
    const db = suite.database.db;
    const ran: string[] = [];
    await assert.rejects(
      transaction(db, async (trx) => {
        await new ContactRepository(trx).create({ phone: '+15551000010', name: 'Gone' });
        afterCommit(trx, () => ran.push('rolled back'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await new ContactRepository(db).findByPhone('+15551000010'), undefined);
    await transaction(db, async (trx) => {
      await transaction(trx, async (inner) => {
        afterCommit(inner, () => ran.push('committed'));
      });
      assert.deepEqual(ran, [], 'not before the outer commit');
    });
    assert.deepEqual(ran, ['committed']);
  });

  it('maps database errors in one place, naming the field but never the values', async () => {
    const db = suite.database.db;
    const contacts = new ContactRepository(db);
    await contacts.create({ phone: '+15551000020', name: 'Taken' });
    await assert.rejects(contacts.create({ phone: '+15551000020', name: 'Again' }), (error: unknown) => {
      assert.ok(error instanceof ConflictError);
      assert.equal(error.field, 'phone');
      assert.doesNotMatch(error.message, /15551000020/);
      return true;
    });
    await assert.rejects(db.selectFrom('no_such_table' as 'contacts').selectAll().execute(), (error: unknown) => {
      assert.ok(error instanceof DatabaseError);
      assert.equal(error.sqlState, '42P01');
      return true;
    });
  });
});
