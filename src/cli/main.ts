/**
 * `flowchat <command>`: serve, migrate, seed, user create, and `--help` for each. Each exits 0 on
 * success and otherwise prints one line to stderr and exits non-zero. All read the same
 * environment as the server.
 *
 * A command loads what it uses when it runs: the database layer takes about a second to load and
 * the HTTP application a second more, which help and usage errors need not wait for.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/connection.js';
import { commandHelp, findCommand, helpHint, overview } from './help.js';
import { AppError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/logger.js';

/** Wrong words on the command line; the one line printed for it points to the right help. */
class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** `parseArgs` that reports an unknown or malformed option as a usage error of its command. */
function parseCommandArgs<O extends ParseOptions>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (error) {
    // Node's message goes on to explain `--`; its first sentence names the option.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split('. ')[0] ?? message, command);
  }
}

const helpFlags = new Set(['--help', '-h']);

async function withDatabase<T>(config: Config, logger: Logger, fn: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const { connect } = await import('../db/connection.js');
  const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: config.pool, logger });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function migrate(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseCommandArgs('migrate', args, { to: { type: 'string' } });
  const action = positionals[0];
  if (action !== 'up' && action !== 'down' && action !== 'status') throw new UsageError('migrate needs up, down or status', 'migrate');
  const { migrateDown, migrateUp, migrationStatus } = await import('../db/migrator.js');
  await withDatabase(config, logger, async ({ db }) => {
    if (action === 'up') {
      const applied = await migrateUp(db);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'already up to date');
    } else if (action === 'down') {
      const reverted = await migrateDown(db, values.to);
      console.log(reverted.length ? `rolled back ${reverted.join(', ')}` : 'nothing to roll back');
    } else {
      for (const { version, applied } of await migrationStatus(db)) console.log(`${version} ${applied ? 'applied' : 'pending'}`);
    }
  });
}

async function createUser(args: string[], config: Config, logger: Logger): Promise<void> {
  const { positionals, values } = parseCommandArgs('user', args, {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
  });
  const invalid = (message: string) => new UsageError(message, 'user');
  if (positionals[0] !== 'create') throw invalid('user needs create');
  const password = values.password ?? process.env['FLOWCHAT_PASSWORD'];
  if (!values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) throw invalid('--email must be an email address');
  if (!values.name?.trim()) throw invalid('--name is required');
  if (values.role !== 'admin' && values.role !== 'agent') throw invalid('--role must be admin or agent');
  if (!password || password.length < 10) throw invalid('the password (--password or FLOWCHAT_PASSWORD) needs at least 10 characters');
  const { email, name, role } = values;
  const [{ migrateUp }, { UserRepository }] = await Promise.all([import('../db/migrator.js'), import('../db/repositories/user.repository.js')]);
  await withDatabase(config, logger, async ({ db }) => {
    await migrateUp(db);
    const users = new UserRepository(db);
    if (await users.findByEmail(email)) throw new Error(`a user with the email ${email} already exists`);
    const user = await users.createUser({ email, name, role, password });
    console.log(`created ${user.role} ${user.email} (${user.id})`);
  });
}

/** Answers `--help`, `-h`, `help [command]` and `<command> --help`; true when it did. */
function printHelp(command: string | undefined, rest: string[]): boolean {
  if (command !== undefined && helpFlags.has(command)) {
    console.log(overview());
    return true;
  }
  const named = command === 'help' ? rest[0] : rest.some((arg) => helpFlags.has(arg)) ? command : undefined;
  if (command === 'help' && named === undefined) {
    console.log(overview());
    return true;
  }
  if (named === undefined) return false;
  const found = findCommand(named);
  if (!found) throw new UsageError(`unknown command "${named}"`);
  console.log(commandHelp(found));
  return true;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (printHelp(command, rest)) return;
  if (command === undefined) throw new UsageError('a command is required');
  if (!findCommand(command)) throw new UsageError(`unknown command "${command}"`);
  const config = loadConfig();
  if (command === 'serve') {
    const logger = createLogger(config.logLevel);
    const { startServer, stopOnSignals } = await import('../server.js');
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
        const [{ migrateUp }, { seed }] = await Promise.all([import('../db/migrator.js'), import('../db/seeds/index.js')]);
        await migrateUp(db);
        const result = await seed(db);
        console.log(`seeded ${result.users} users and ${result.contacts} contacts`);
      });
    case 'user':
      return createUser(rest, config, logger);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof UsageError ? ` (see ${helpHint(error.command)})` : '';
  process.stderr.write(`flowchat: ${message.split('\n')[0]}${hint}\n`);
  process.exitCode = error instanceof UsageError ? 2 : error instanceof AppError ? 3 : 1;
});
