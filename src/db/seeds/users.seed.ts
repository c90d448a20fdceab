/** Demo users: one admin and one agent. Existing emails are left as they are. */
import { hashPassword } from '../../shared/crypto.js';
import type { Executor } from '../transaction.js';

const demoUsers = [
  { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', password: 'flowchat-admin-demo' },
  { email: 'agent@example.com', name: 'Alan Agent', role: 'agent', password: 'flowchat-agent-demo' },
] as const;

export async function seedUsers(db: Executor): Promise<number> {
  let created = 0;
  for (const user of demoUsers) {
    const exists = await db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', user.email)).executeTakeFirst();
    if (exists) continue;
    await db
      .insertInto('users')
      .values({ email: user.email, name: user.name, role: user.role, password_hash: await hashPassword(user.password) })
      .execute();
    created += 1;
  }
  return created;
}
