/**
 * A random id for Idempotency-Key headers. crypto.randomUUID exists only on secure origins,
 * and a self-hosted FlowChat may well be reached over plain http on a LAN address.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
