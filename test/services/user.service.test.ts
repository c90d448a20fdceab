import assert from 'node:assert/strict';
import { it } from 'node:test';
import { UserService } from '../../src/auth/user.service.js';
import { AppError } from '../../src/shared/errors.js';
import { forEachEngine } from '../support/databases.js';

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

forEachEngine('UserService', (suite) => {
  it('createUser refuses a duplicate email whatever its case, and never returns the hash', async () => {
    const users = new UserService(suite.database.db);
    const created = await users.createUser({ email: 'Case@Example.com', name: 'Case', role: 'agent', password: 'long enough password' });
    assert.ok(!('password_hash' in created));
    await assert.rejects(users.createUser({ email: 'case@EXAMPLE.com', name: 'Other', role: 'agent', password: 'long enough password' }), isCode('duplicate_email'));
  });

  it('updateUser changes the named fields only', async () => {
    const users = new UserService(suite.database.db);
    const user = await users.createUser({ email: 'update@example.com', name: 'Before', role: 'agent', password: 'long enough password' });
    const updated = await users.updateUser(user.id, { name: 'After' });
    assert.equal(updated.name, 'After');
    assert.equal(updated.email, 'update@example.com');
    assert.equal(updated.role, 'agent');
    await assert.rejects(users.updateUser('00000000-0000-4000-8000-000000000000', { name: 'x' }), isCode('user_not_found'));
  });

  it('keeps one admin when two admins are demoted at the same moment', async () => {
    const users = new UserService(suite.database.db);
    await suite.database.db.updateTable('users').set({ role: 'agent' }).where('role', '=', 'admin').execute();
    const first = await users.createUser({ email: 'first-admin@example.com', name: 'First', role: 'admin', password: 'long enough password' });
    const second = await users.createUser({ email: 'second-admin@example.com', name: 'Second', role: 'admin', password: 'long enough password' });
    const results = await Promise.allSettled([users.updateUser(first.id, { role: 'agent' }), users.updateUser(second.id, { role: 'agent' })]);
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    const rejected = results.find((result) => result.status === 'rejected');
    assert.ok(rejected && isCode('last_admin')(rejected.reason));
    const admins = await suite.database.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
    assert.equal(admins.length, 1);
  });
});
