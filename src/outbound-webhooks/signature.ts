/**
 * The `X-FlowChat-Signature` header: `sha256=` and the hex HMAC-SHA256 of the raw body with the
 * webhook's secret. Receivers recompute it over the bytes they received (see the README).
 */
import { hmacSha256Hex } from '../shared/crypto.js';

const SIGNATURE_PREFIX = 'sha256=';

/**
 * @example
 * signBody('whsec_…', '{"id":"42",…}') // 'sha256=5d41…'
 */
export function signBody(secret: string, body: string | Buffer): string {
  return `${SIGNATURE_PREFIX}${hmacSha256Hex(secret, body)}`;
}
