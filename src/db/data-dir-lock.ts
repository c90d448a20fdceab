/**
 * An exclusive lock on the embedded data directory. Two PGlite instances on one directory both
 * open without error and silently corrupt it, so a second FlowChat must fail fast instead.
 * A lock left by a dead process (kill -9, power loss) is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`FlowChat is already running on the data directory ${dir} (pid ${pid}); stop it first or set FLOWCHAT_DATA_DIR to another directory`);
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock or throws `DataDirLockedError`; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  const absolute = resolve(dir);
  mkdirSync(absolute, { recursive: true });
  const path = join(absolute, 'flowchat.lock');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readPid(path) === process.pid) unlinkSync(path);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(path);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new DataDirLockedError(absolute, holder);
    try {
      // Renaming, not unlinking: of two processes taking over the same stale lock, only one wins.
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not lock the data directory ${absolute}`);
}
