import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/processes.js';

// Help needs no database and no valid environment: a bad PORT must not hide it.
const env = { PORT: 'not a port' };

describe('flowchat --help', () => {
  it('lists every command and says how to get a command\'s options', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const result = await runCli([flag], env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /^Usage: flowchat <command>/);
      for (const command of ['serve', 'migrate', 'seed', 'user']) assert.match(result.stdout, new RegExp(`^  ${command} +\\S`, 'm'));
      assert.match(result.stdout, /flowchat <command> --help/);
    }
  });

  it('explains each command with its options', async () => {
    const expected: Record<string, RegExp[]> = {
      'migrate --help': [/^Usage: flowchat migrate up \| down \[--to VERSION\] \| status$/m, /--to 0/, /status .*applied.*pending/],
      'user create --help': [/^Usage: flowchat user create --email E --name N --role admin\|agent \[--password P\]$/m, /FLOWCHAT_PASSWORD/, /at least 10 characters/],
      'seed -h': [/^Usage: flowchat seed$/m, /second run changes nothing/],
      'serve --help': [/^Usage: flowchat serve$/m, /npm start/],
      'help migrate': [/^Usage: flowchat migrate/m],
    };
    for (const [args, patterns] of Object.entries(expected)) {
      const result = await runCli(args.split(' '), env);
      assert.equal(result.code, 0, `${args}: ${result.stderr}`);
      for (const pattern of patterns) assert.match(result.stdout, pattern, args);
    }
  });

  it('an unknown command, a missing one or an unknown option: non-zero and one line pointing to the help', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /^flowchat: unknown command "frobnicate" \(see flowchat --help\)$/],
      [[], /^flowchat: a command is required \(see flowchat --help\)$/],
      [['help', 'frobnicate'], /^flowchat: unknown command "frobnicate" \(see flowchat --help\)$/],
      [['migrate', 'sideways'], /^flowchat: migrate needs up, down or status \(see flowchat migrate --help\)$/],
      [['migrate', 'up', '--force'], /^flowchat: Unknown option '--force' \(see flowchat migrate --help\)$/],
      [['user', 'create', '--email', 'nobody'], /^flowchat: --email must be an email address \(see flowchat user --help\)$/],
    ];
    const dataDir = join(mkdtempSync(join(tmpdir(), 'flowchat-help-')), 'data');
    for (const [args, pattern] of cases) {
      const result = await runCli(args, { FLOWCHAT_DATA_DIR: dataDir });
      assert.notEqual(result.code, 0, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), pattern);
    }
    assert.equal(existsSync(dataDir), false, 'a usage error opens no database');
  });
});
