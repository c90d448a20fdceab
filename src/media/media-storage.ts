/**
 * Where media bytes live, keyed by their sha256 (so equal bytes are stored once): a folder by
 * default, an S3-compatible bucket when one is configured. Files reach a store only complete and
 * hashed: they are spooled to a local file first (`spoolDir`), then `put` moves them in.
 */
import type { Readable } from 'node:stream';

/** Inclusive byte range, as HTTP `Range` names it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface MediaStorage {
  /** A local folder for files being received; on the same file system as the store when it is a folder. */
  readonly spoolDir: string;
  /** Moves the spooled `file` into the store as `key` (or drops it when `key` is already there). */
  put(key: string, file: string, size: number, mimeType: string): Promise<void>;
  /** The stored bytes, or only `range` of them. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** A local file holding the bytes (the stored file itself for a folder, else a spooled copy) and how to let go of it. */
  localCopy(key: string): Promise<{ readonly path: string; release(): Promise<void> }>;
  delete(key: string): Promise<void>;
}
