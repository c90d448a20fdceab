/**
 * `flowchat <command>`: serve, migrate, seed, user create. Each exits 0 on success and otherwise
 * prints one line to stderr and exits non-zero. All read the same environment as the server.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/env.js';
import { connect, type DatabaseHandle } from '../db/connection.js';
import { migrateDown, migrateUp, migrationStatus } from '../db/migrator.js';
import { seed } from '../db/seeds/index.js';
import { UserRepository } from '../db/repositories/user.repository.js';
import { startServer, stopOnSignals } from '../server.js';
import { AppError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/logger.js';

const usage = `Usage:
  flowchat serve
  flowchat migrate up | down [--to VERSION] | status
  flowchat seed
  flowchat user create --email E --name N --role admin|agent [--password P]`;

class UsageError extends Error {}

async function withDatabase<T>(config: Config, logger: Logger, fn: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: config.pool, logger });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function migrate(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' } } });
  const action = positionals[0];
  await withDatabase(config, logger, async ({ db }) => {
    if (action === 'up') {
      const applied = await migrateUp(db);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'already up to date');
    } else if (action === 'down') {
      const reverted = await migrateDown(db, values.to);
      console.log(reverted.length ? `rolled back ${reverted.join(', ')}` : 'nothing to roll back');
    } else if (action === 'status') {
      for (const { version, applied } of await migrationStatus(db)) console.log(`${version} ${applied ? 'applied' : 'pending'}`);
    } else {
      throw new UsageError('migrate needs up, down or status');
    }
  });
}

async function createUser(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
  });
  if (positionals[0] !== 'create') throw new UsageError('user needs create');
  const password = values.password ?? process.env['FLOWCHAT_PASSWORD'];
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) throw new UsageError('--email must be an email address');
  if (!values.name?.trim()) throw new UsageError('--name is required');
  if (values.role !== 'admin' && values.role !== 'agent') throw new UsageError('--role must be admin or agent');
  if (!password || password.length < 10) throw new UsageError('the password (--password or FLOWCHAT_PASSWORD) needs at least 10 characters');
  const { email, name, role } = values;
  await withDatabase(config, logger, async ({ db }) => {
    await migrateUp(db);
    const users = new UserRepository(db);
    if (await users.findByEmail(email)) throw new UsageError(`a user with the email ${email} already exists`);
    const user = await users.createUser({ email, name, role, password });
    console.log(`created ${user.role} ${user.email} (${user.id})`);
  });
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (command === 'serve') {
    const logger = createLogger(config.logLevel);
    const server = await startServer(config, logger);
    stopOnSignals(server, logger);
    return;
  }
  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'warn');
  switch (command) {
    case 'migrate':
      return migrate(rest, config, logger);
    case 'seed':
      return withDatabase(config, logger, async ({ db }) => {
        await migrateUp(db);
        const result = await seed(db);
        console.log(`seeded ${result.users} users and ${result.contacts} contacts`);
      });
    case 'user':
      return createUser(rest, config, logger);
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`flowchat: ${message.split('\n')[0]}\n`);
  if (error instanceof UsageError) process.stderr.write(`${usage}\n`);
  process.exitCode = error instanceof UsageError ? 2 : error instanceof AppError ? 3 : 1;
});
