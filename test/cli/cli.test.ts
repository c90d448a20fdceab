import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { engines, openEmptyServerDatabase } from '../support/databases.js';
import { runCli, startServerProcess } from '../support/processes.js';

for (const engine of engines) {
  describe(`flowchat CLI [${engine}]`, () => {
    let env: Record<string, string>;
    let drop: (() => Promise<void>) | undefined;

    before(async () => {
      if (engine === 'server') {
        const empty = await openEmptyServerDatabase();
        env = { DATABASE_URL: empty.url };
        drop = empty.drop;
      } else {
        env = { FLOWCHAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'flowchat-cli-')) };
      }
    });
    after(async () => drop?.());

    it('migrate status, up, down --to 0 and up again', async () => {
      const pending = await runCli(['migrate', 'status'], env);
      assert.equal(pending.code, 0, pending.stderr);
      assert.match(pending.stdout, /^20240311 pending$/m);
      const up = await runCli(['migrate', 'up'], env);
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stdout, /applied 20240311, 20240312/);
      assert.match((await runCli(['migrate', 'status'], env)).stdout, /^20240312 applied$/m);
      const down = await runCli(['migrate', 'down', '--to', '0'], env);
      assert.equal(down.code, 0, down.stderr);
      assert.doesNotMatch((await runCli(['migrate', 'status'], env)).stdout, /applied/);
      assert.equal((await runCli(['migrate', 'up'], env)).code, 0);
      assert.match((await runCli(['migrate', 'up'], env)).stdout, /already up to date/);
    });

    it('seed twice: the second run changes nothing', async () => {
      const first = await runCli(['seed'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /seeded 2 users and 12 contacts/);
      const second = await runCli(['seed'], env);
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /seeded 0 users and 0 contacts/);
    });

    it('user create takes --password or FLOWCHAT_PASSWORD, and refuses bad input with one line', async () => {
      const created = await runCli(['user', 'create', '--email', 'Cli.Agent@example.com', '--name', 'Cli Agent', '--role', 'agent', '--password', 'a long password'], env);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /created agent Cli.Agent@example.com/);
      const fromEnv = await runCli(['user', 'create', '--email', 'env@example.com', '--name', 'Env', '--role', 'admin'], { ...env, FLOWCHAT_PASSWORD: 'from the environment' });
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      const duplicate = await runCli(['user', 'create', '--email', 'cli.agent@EXAMPLE.com', '--name', 'Again', '--role', 'agent', '--password', 'a long password'], env);
      assert.notEqual(duplicate.code, 0);
      assert.match(duplicate.stderr.split('\n')[0] ?? '', /^flowchat: .*already exists/);
      const badRole = await runCli(['user', 'create', '--email', 'x@example.com', '--name', 'X', '--role', 'owner', '--password', 'a long password'], env);
      assert.notEqual(badRole.code, 0);
      assert.match(badRole.stderr, /^flowchat: --role must be admin or agent/);
      const shortPassword = await runCli(['user', 'create', '--email', 'y@example.com', '--name', 'Y', '--role', 'agent', '--password', 'short'], env);
      assert.notEqual(shortPassword.code, 0);
    });

    it('a bad environment value stops with one line naming the variable', async () => {
      const result = await runCli(['serve'], { ...env, PORT: 'eighty' });
      assert.notEqual(result.code, 0);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /PORT/);
    });

    it('serve answers /healthz, refuses a second process on the same data directory, and stops cleanly on SIGTERM', async () => {
      const server = await startServerProcess({ ...env, FLOWCHAT_ADMIN_EMAIL: 'boss@example.com', FLOWCHAT_ADMIN_PASSWORD: 'boss password 1' });
      try {
        assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
        if (engine === 'embedded') {
          const second = await runCli(['serve'], { ...env, PORT: '0' });
          assert.notEqual(second.code, 0);
          assert.match(second.stderr, /already running on the data directory/);
        }
      } finally {
        const started = Date.now();
        server.child.kill('SIGTERM');
        assert.equal(await server.exited, 0);
        assert.ok(Date.now() - started < 10_000, 'stopped within 10 s');
      }
      assert.doesNotMatch(server.output(), /boss password 1/, 'the configured password is never printed');
    });
  });
}
