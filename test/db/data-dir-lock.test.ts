import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.js';

describe('embedded data directory lock', () => {
  it('a second holder is refused with a message naming the directory and the holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowchat-lock-'));
    writeFileSync(join(dir, 'flowchat.lock'), String(process.ppid));
    assert.throws(() => lockDataDir(dir), (error: unknown) => error instanceof DataDirLockedError && error.message.includes(dir) && error.message.includes(String(process.ppid)));
  });

  it('a lock left by a dead process is taken over, and released on demand', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowchat-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'flowchat.lock'), dead.stdout);
    const release = lockDataDir(dir);
    assert.equal(readFileSync(join(dir, 'flowchat.lock'), 'utf8'), String(process.pid));
    release();
    assert.equal(existsSync(join(dir, 'flowchat.lock')), false);
    lockDataDir(dir)();
  });
});
