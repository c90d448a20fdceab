/**
 * Generators of hostile input for the route fuzzer (fast-check): the strings attackers and broken
 * clients send (SQL and script injection, path tricks, Unicode edge cases, huge values), values of
 * the wrong type, and raw bodies no JSON parser should accept (invalid UTF-8, absurd nesting).
 */
import fc from 'fast-check';

/** Strings that have broken web applications before; each one must meet a 4xx, never a 5xx. */
export const nastyStrings: readonly string[] = [
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE contacts; --",
  '" OR ""="',
  '1; SELECT pg_sleep(10)',
  "admin'--",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  'null\u0000byte',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil\u202C',
  '\uFEFF',
  'Z\u0351\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '𝕳𝖊𝖑𝖑𝖔',
  'ﷺ',
  '\r\nSet-Cookie: evil=1',
  'a'.repeat(70_000),
  '9'.repeat(400),
  'NaN',
  '-1',
  '1e309',
  'true',
  'null',
  '__proto__',
  'constructor',
  '+14155550123',
  '00000000-0000-0000-0000-000000000000',
];

/** Path segments for `:id`-like parameters. */
export const nastyIds: readonly string[] = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '..',
  '..%2F..%2Fusers',
  '%2e%2e%2f%2e%2e%2fapi%2fv1%2fusers',
  '%00',
  '%C0%AE%C0%AE',
  '%ZZ',
  '1%20OR%201%3D1',
  "'",
  '-1',
  '0',
  '99999999999999999999999999',
  'a'.repeat(5_000),
  '%F0%9F%92%A9',
  '%EF%BF%BF',
  '%E2%80%AE',
  encodeURIComponent('<script>'),
];

/** A JSON value of any type, biased toward the nasty strings and awkward numbers. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.constantFrom(-1, 0, 1.5, -0, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...nastyStrings), { maxLength: 60 }) },
);

/** An object shaped like a route's body (its own keys, with wrong or hostile values) plus stray keys. */
export function shapedBody(keys: readonly string[]): fc.Arbitrary<unknown> {
  const own = keys.length === 0 ? fc.constant({}) : fc.dictionary(fc.constantFrom(...keys), wrongValue, { maxKeys: keys.length });
  const stray = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'id', 'role', 'password_hash', 'is_admin', 'created_at', 'zzz'), wrongValue, { maxKeys: 2 });
  return fc.tuple(own, stray, fc.boolean()).map(([mine, extra, withExtra]) => (withExtra ? { ...mine, ...extra } : mine));
}

export interface RawBody {
  readonly label: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

function nested(depth: number, open: string, close: string, inner = ''): Buffer {
  return Buffer.from(`${open.repeat(depth)}${inner}${close.repeat(depth)}`);
}

/** Bodies every route must refuse cleanly: the parser, the validator and the service all get a go. */
export const rawBodies: readonly RawBody[] = [
  { label: 'invalid UTF-8', contentType: 'application/json', bytes: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xa0, 0xa1, 0x22, 0x7d]) },
  { label: 'overlong UTF-8 slash', contentType: 'application/json', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]) },
  { label: 'array nested 100,000 deep', contentType: 'application/json', bytes: nested(100_000, '[', ']') },
  { label: 'object nested 50,000 deep', contentType: 'application/json', bytes: nested(50_000, '{"a":', '}', '1') },
  { label: 'metadata nested 5,000 deep', contentType: 'application/json', bytes: Buffer.from(`{"phone":"+14155550999","name":"Deep","metadata":{"k":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`) },
  { label: '2 MB string', contentType: 'application/json', bytes: Buffer.from(JSON.stringify({ name: 'x'.repeat(2_000_000) })) },
  { label: 'truncated JSON', contentType: 'application/json', bytes: Buffer.from('{"name": "Ana", "phone": "+1415') },
  { label: 'raw NUL bytes', contentType: 'application/json', bytes: Buffer.from('{"name":"a\u0000b"}') },
  { label: 'JSON with a BOM', contentType: 'application/json', bytes: Buffer.from('\uFEFF{"name":"bom"}') },
  { label: 'prototype pollution', contentType: 'application/json', bytes: Buffer.from('{"__proto__":{"role":"admin"},"constructor":{"prototype":{"isAdmin":true}}}') },
  { label: 'duplicate keys', contentType: 'application/json', bytes: Buffer.from('{"name":"a","name":{"$gt":""}}') },
  { label: 'form-encoded', contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from('name=a&role=admin') },
  { label: 'plain text', contentType: 'text/plain', bytes: Buffer.from('hello') },
  { label: 'multipart', contentType: 'multipart/form-data; boundary=x', bytes: Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n') },
  { label: 'XML', contentType: 'application/xml', bytes: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>') },
  { label: 'CSV with injection', contentType: 'text/csv', bytes: Buffer.from('phone,name\n+14155550998,=cmd|\' /C calc\'!A0\n\u0000,\uD800\n') },
];

/** A query string of the route's own parameters and stray ones, all with hostile values. */
export function queryString(names: readonly string[]): fc.Arbitrary<string> {
  const keys = fc.constantFrom(...names, 'sort', 'order', 'limit', 'cursor', 'q', '__proto__', 'a[b]', 'x');
  const value = fc.oneof(fc.constantFrom(...nastyStrings.filter((text) => text.length < 1_000)), fc.constantFrom('-1', '0', '201', '1e10', 'abc', 'password_hash', 'created_at;DROP', 'any', 'all'));
  return fc.array(fc.tuple(keys, value), { maxLength: 5 }).map((pairs) => pairs.map(([key, text]) => `${encodeLoosely(key)}=${encodeLoosely(text)}`).join('&'));
}

/** Percent-encodes like a browser; a lone surrogate (which encodeURIComponent refuses) goes out as the invalid bytes a broken client would send. */
export function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}
