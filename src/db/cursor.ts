/**
 * Opaque page cursors: a keyset position, signed with this installation's secret (kept in the
 * database, so every process and restart agrees). A cursor FlowChat did not hand out, or one that
 * was edited, fails the signature check and is a 400 `invalid_cursor`.
 */
import { hmacSha256Hex, safeEqual } from '../shared/crypto.js';
import { AppError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { KeysetPosition, KeysetValue } from './keyset.js';

type Encoded = [kind: 'd' | 's' | 'n' | 'z', value: string | number | null, id: string, scope: string];

/** Row ids are UUIDs, or positive integers in identity-keyed logs (the audit log, webhook deliveries). */
const isRowId = (id: string): boolean => isUuid(id) || /^[1-9][0-9]{0,15}$/.test(id);

export class CursorCodec {
  constructor(private readonly secret: string) {}

  /** `scope` ties a cursor to the listing and sort it came from (a contacts cursor is no thread cursor). */
  encode(position: KeysetPosition, scope: string): string {
    const { value, id } = position;
    const encoded: Encoded =
      value instanceof Date ? ['d', value.toISOString(), id, scope]
      : typeof value === 'number' ? ['n', value, id, scope]
      : value === null ? ['z', null, id, scope]
      : ['s', value, id, scope];
    const body = Buffer.from(JSON.stringify(encoded)).toString('base64url');
    return `${body}.${hmacSha256Hex(this.secret, body).slice(0, 32)}`;
  }

  decode(cursor: string, scope: string): KeysetPosition {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || !safeEqual(signature, hmacSha256Hex(this.secret, body).slice(0, 32))) {
      throw new AppError('invalid_cursor');
    }
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Encoded;
    const [kind, raw, id, cursorScope] = parsed;
    if (cursorScope !== scope || typeof id !== 'string' || !isRowId(id)) throw new AppError('invalid_cursor');
    let value: KeysetValue;
    if (kind === 'd' && typeof raw === 'string') value = new Date(raw);
    else if (kind === 'n' && typeof raw === 'number') value = raw;
    else if (kind === 's' && typeof raw === 'string') value = raw;
    else if (kind === 'z') value = null;
    else throw new AppError('invalid_cursor');
    return { value, id };
  }
}
