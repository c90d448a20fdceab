/**
 * The command line's help: `flowchat --help` lists the commands, `flowchat <command> --help` tells
 * one in full. Kept apart from the commands so that help never needs a valid environment.
 */

/** A command as `flowchat --help` lists it and `flowchat <name> --help` explains it. */
export interface CommandHelp {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly details: string;
}

const environmentNote =
  'It reads the same environment as the server (see .env.example): DATABASE_URL, or\nFLOWCHAT_DATA_DIR for the embedded database.';

const commands: readonly CommandHelp[] = [
  {
    name: 'serve',
    summary: 'migrate the database and serve the API and the web inbox (what npm start runs)',
    usage: 'flowchat serve',
    details: [
      'Applies pending migrations, creates the first admin when there are no users, and serves',
      'FlowChat on HOST:PORT (127.0.0.1:3000 by default) until SIGTERM or SIGINT.',
    ].join('\n'),
  },
  {
    name: 'migrate',
    summary: 'apply, roll back or list the database migrations',
    usage: 'flowchat migrate up | down [--to VERSION] | status',
    details: [
      '  up                  apply every pending migration',
      '  down                roll back the newest applied migration',
      '  down --to VERSION   roll back every migration after VERSION (--to 0: all of them)',
      '  status              print each version with "applied" or "pending"',
    ].join('\n'),
  },
  {
    name: 'seed',
    summary: 'add demo users and contacts (a second run changes nothing)',
    usage: 'flowchat seed',
    details: [
      'Migrates, then adds admin@example.com (password flowchat-admin-demo), agent@example.com',
      '(flowchat-agent-demo) and a dozen contacts, skipping whatever already exists.',
    ].join('\n'),
  },
  {
    name: 'user',
    summary: 'create a user who signs in to the inbox',
    usage: 'flowchat user create --email E --name N --role admin|agent [--password P]',
    details: [
      '  --email E          the sign-in email (unique, whatever its case)',
      '  --name N           the name colleagues see',
      '  --role ROLE        admin (manages users, API keys and webhooks) or agent',
      '  --password P       at least 10 characters; without it, the FLOWCHAT_PASSWORD variable',
    ].join('\n'),
  },
];

export function findCommand(name: string): CommandHelp | undefined {
  return commands.find((command) => command.name === name);
}

/** `flowchat --help`. */
export function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: flowchat <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run flowchat <command> --help for a command\'s options.',
  ].join('\n');
}

/** `flowchat <command> --help`. */
export function commandHelp(command: CommandHelp): string {
  const summary = `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`;
  return [`Usage: ${command.usage}`, '', summary, '', command.details, '', environmentNote].join('\n');
}

/** Where a usage error points the user: the command's own help when there is one. */
export function helpHint(commandName?: string): string {
  return commandName !== undefined && findCommand(commandName) ? `flowchat ${commandName} --help` : 'flowchat --help';
}
