/**
 * Receives a file as a stream into the spool folder, hashing and counting on the way, so nothing
 * but a chunk at a time is ever in memory. Past `maxBytes` it stops reading and removes the
 * partial file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface SpooledFile {
  readonly path: string;
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

/** The stream carried more than the limit allowed. */
export class SpoolLimitError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes`);
    this.name = 'SpoolLimitError';
  }
}

/** The incoming stream itself broke (a malformed or cut-off upload, a dropped download). */
export class SpoolInputError extends Error {
  constructor(cause: unknown) {
    super(`The file stream broke: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SpoolInputError';
  }
}

export async function spool(input: Readable, spoolDir: string, maxBytes: number): Promise<SpooledFile> {
  await mkdir(spoolDir, { recursive: true });
  const file = path.join(spoolDir, `in-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(new SpoolLimitError(maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  let inputError: unknown;
  input.once('error', (error: unknown) => (inputError = error));
  try {
    await pipeline(input, meter, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    input.resume();
    if (error instanceof SpoolLimitError) throw error;
    // The input may have broken before this function was called (it is `errored` then).
    const broken = inputError ?? input.errored;
    throw broken !== undefined && broken !== null ? new SpoolInputError(broken) : error;
  }
  return { path: file, size, sha256: hash.digest('hex') };
}

/** A sha256 as Meta gives it (hex or base64) in lower-case hex; undefined when it is neither. */
export function normalizeSha256(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^[a-fA-F0-9]{64}$/.test(trimmed)) return trimmed.toLowerCase();
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

/** Removes spooled files older than `olderThanMs`: what a process that died mid-upload left behind. */
export async function sweepSpool(spoolDir: string, olderThanMs: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(spoolDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(spoolDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() && Date.now() - info.mtimeMs > olderThanMs) {
      await rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}
