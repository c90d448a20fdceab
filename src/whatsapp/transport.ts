/**
 * A WhatsApp transport: the real Cloud API client or the built-in sandbox (a channel, in
 * src/channels/, is a WhatsApp number; each has one transport). The sender and the read-receipt
 * path talk only to this interface, and each send ends in exactly one of four outcomes, so the
 * at-most-once rules live in one place (the sender) whatever the transport.
 */
import type { MarkReadRequest, SendRequest } from './outbound/wire-format.js';

export type TransportKind = 'sandbox' | 'cloud_api';

export type SendResult =
  /** A 2xx with a wamid: WhatsApp accepted the message. */
  | { readonly kind: 'accepted'; readonly wamid: string; readonly waId: string | undefined }
  /** A Graph error answer: WhatsApp refused; what to do depends on `code` alone. */
  | { readonly kind: 'rejected'; readonly code: number; readonly message: string; readonly details: string | undefined; readonly fbtraceId: string | undefined }
  /** Certainly not accepted and worth retrying: a 5xx or 429 without a Graph error, or no connection. */
  | { readonly kind: 'transient'; readonly reason: string }
  /** An answer no retry can fix (a 4xx without a Graph error: a wrong URL or proxy). */
  | { readonly kind: 'misconfigured'; readonly reason: string }
  /** The request may have reached WhatsApp but no answer came (timeout, dropped connection). */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface WhatsAppTransport {
  readonly kind: TransportKind;
  send(request: SendRequest): Promise<SendResult>;
  /** Sends a read receipt; the same outcomes as `send` (an accepted receipt has an empty wamid). */
  markRead(request: MarkReadRequest): Promise<SendResult>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}
