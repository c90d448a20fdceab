/** Small files of each kind WhatsApp takes (and some it refuses), made from their signatures. */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of `size`×`size` pixels in one colour (browsers draw it). */
export function png(size = 8, rgb: readonly [number, number, number] = [30, 144, 255]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: size }, () => Buffer.from(rgb)))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** JPEG's signature and a JFIF header, padded to `bytes`. */
export function jpeg(bytes = 2048): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length - 2), 0x20), Buffer.from([0xff, 0xd9])]);
}

export function pdf(text = 'Invoice INV-0193'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** An Ogg page whose first packet is an OpusHead: a voice note as WhatsApp records it. */
export function oggOpus(bytes = 4096): Buffer {
  const page = Buffer.alloc(28);
  page.write('OggS', 0, 'latin1');
  page[5] = 0x02;
  page[26] = 1;
  page[27] = 19;
  const head = Buffer.concat([Buffer.from('OpusHead', 'latin1'), Buffer.from([1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0])]);
  return Buffer.concat([page, head, Buffer.alloc(Math.max(0, bytes - page.length - head.length))]);
}

export function mp4(bytes = 4096): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(Math.max(0, bytes - ftyp.length))]);
}

/** A still (VP8) or animated (VP8X with the animation flag) WebP of `bytes`. */
export function webp(bytes = 2048, animated = false): Buffer {
  const body = animated
    ? Buffer.concat([Buffer.from('VP8X', 'latin1'), Buffer.from([10, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0])])
    : Buffer.concat([Buffer.from('VP8 ', 'latin1'), Buffer.from([10, 0, 0, 0, 0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 1, 0, 1, 0])]);
  const padded = Buffer.concat([body, Buffer.alloc(Math.max(0, bytes - 12 - body.length))]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(padded.length + 4, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, padded]);
}

export function gif(): Buffer {
  return Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0, 0, 0, 0x3b])]);
}
