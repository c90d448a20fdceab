/**
 * `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the app
 * secret, compared in constant time. Without a secret every request is refused. Meta's Messenger
 * docs say non-ASCII may be signed in its escaped form (`\u00e9` for é), so that form is tried once too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const nonAscii = /[^\x00-\x7e]/;

/** Per UTF-16 unit, lowercase hex: an emoji becomes two escapes. */
function escapeNonAscii(text: string): string {
  return text.replace(/[^\x00-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function webhookSignature(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function isValidSignature(raw: Buffer, header: string | undefined, secret: string | undefined): boolean {
  if (!secret || !header?.startsWith('sha256=')) return false;
  const hex = header.slice('sha256='.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const matches = (body: Buffer): boolean => {
    const expected = createHmac('sha256', secret).update(body).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if (matches(raw)) return true;
  const text = raw.toString('utf8');
  return nonAscii.test(text) && matches(Buffer.from(escapeNonAscii(text), 'utf8'));
}
