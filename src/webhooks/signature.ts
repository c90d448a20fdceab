/**
 * The `X-FlowChat-Signature` header: `sha256=` and the hex HMAC-SHA256 of the raw body with the
 * webhook's secret. Receivers recompute it over the bytes they received (see the README).
 */
import { hmacSha256Hex, safeEqual } from '../shared/crypto.js';

export const SIGNATURE_PREFIX = 'sha256=';

/**
 * @example
 * signBody('whsec_…', '{"id":"42",…}') // 'sha256=5d41…'
 */
export function signBody(secret: string, body: string | Buffer): string {
  return `${SIGNATURE_PREFIX}${hmacSha256Hex(secret, body)}`;
}

/** Whether `header` signs `body` with `secret`, compared in constant time. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  return header !== undefined && safeEqual(header, signBody(secret, body));
}
