/** Media in a folder (`FLOWCHAT_MEDIA_DIR`): `ab/cd/<sha256>`, spooled files in `.spool/` beside them. */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, MediaStorage } from './media-storage.js';

export class FolderStorage implements MediaStorage {
  readonly spoolDir: string;

  constructor(private readonly root: string) {
    this.spoolDir = path.join(root, '.spool');
  }

  async put(key: string, file: string): Promise<void> {
    const target = this.pathOf(key);
    if (await exists(target)) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(file, target);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    await stat(file);
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    return { path: this.pathOf(key), release: async () => undefined };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!/^[a-f0-9]{64}$/.test(key)) throw new Error('A media key is a sha256 in hex');
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
