/** `flowchat seed`: demo users and contacts, in one transaction; a second run changes nothing. */
import { transaction, type Executor } from '../transaction.js';
import { seedContacts } from './contacts.seed.js';
import { seedUsers } from './users.seed.js';

export interface SeedResult {
  readonly users: number;
  readonly contacts: number;
}

export async function seed(db: Executor): Promise<SeedResult> {
  return transaction(db, async (trx) => ({ users: await seedUsers(trx), contacts: await seedContacts(trx) }));
}
