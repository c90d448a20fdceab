/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, R2, …), so several FlowChat processes share one
 * store. Objects are `media/<sha256>`; an upload streams from the spooled file, and a key already
 * in the bucket is not written again.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ByteRange, MediaStorage } from './media-storage.js';

export interface S3StorageOptions {
  readonly bucket: string;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly forcePathStyle: boolean;
  readonly spoolDir: string;
}

export class S3Storage implements MediaStorage {
  readonly spoolDir: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    this.spoolDir = options.spoolDir;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      forcePathStyle: options.forcePathStyle,
      // Checksums only where S3 requires them: streamed bodies then go out as plain bytes, which
      // every S3-compatible store reads (not all decode the SDK's default chunked trailers).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
  }

  async put(key: string, file: string, size: number, mimeType: string): Promise<void> {
    try {
      if (!(await this.has(key))) {
        await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: objectKey(key), Body: createReadStream(file), ContentLength: size, ContentType: mimeType }));
      }
    } finally {
      await rm(file, { force: true });
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
    if (!(answer.Body instanceof Readable)) throw new Error('The bucket answered without a body');
    return answer.Body;
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    await mkdir(this.spoolDir, { recursive: true });
    const file = path.join(this.spoolDir, `copy-${randomUUID()}`);
    await pipeline(await this.read(key), createWriteStream(file));
    return { path: file, release: () => rm(file, { force: true }) };
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: objectKey(key) }));
  }

  private async has(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: objectKey(key) }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }
}

function objectKey(key: string): string {
  if (!/^[a-f0-9]{64}$/.test(key)) throw new Error('A media key is a sha256 in hex');
  return `media/${key}`;
}
