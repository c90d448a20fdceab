/**
 * What the stand-in Cloud API saw, read as WhatsApp's users would feel it: which messages reached
 * their recipient (an accepted send, or one the test made hang or drop after Meta "took" it, where
 * a blind resend would be a duplicate), who got something twice, and the busiest second.
 */
import { busiestWindow, type CloudApiStandIn, type RecordedRequest } from '../../support/cloud-api-stand-in.js';

export interface Ledger {
  /** Counts `request` as delivered although it got no answer (a hang or drop after Meta took it). */
  taken(request: RecordedRequest): void;
  /** Delivered sends by FlowChat message id (`biz_opaque_callback_data`). */
  delivered(): Map<string, RecordedRequest[]>;
  /** Recipients (`to`) that received more than one message. */
  duplicateRecipients(): string[];
  /** FlowChat message ids sent to the Cloud API more than once, whatever the answers. */
  requestedTwice(): string[];
  /** The most send requests that arrived within any one second. */
  busiestSecond(): number;
}

export function messageIdOf(request: RecordedRequest): string {
  return String(request.body?.['biz_opaque_callback_data'] ?? '');
}

export function recipientOf(request: RecordedRequest): string {
  return String(request.body?.['to'] ?? '');
}

export function ledgerOf(cloud: CloudApiStandIn): Ledger {
  const takenRequests = new Set<RecordedRequest>();
  const deliveredSends = (): RecordedRequest[] => cloud.sends().filter((request) => request.wamid !== undefined || takenRequests.has(request));
  return {
    taken: (request) => takenRequests.add(request),
    delivered() {
      const byMessage = new Map<string, RecordedRequest[]>();
      for (const request of deliveredSends()) byMessage.set(messageIdOf(request), [...(byMessage.get(messageIdOf(request)) ?? []), request]);
      return byMessage;
    },
    duplicateRecipients() {
      const counts = new Map<string, number>();
      for (const request of deliveredSends()) counts.set(recipientOf(request), (counts.get(recipientOf(request)) ?? 0) + 1);
      return [...counts].filter(([, count]) => count > 1).map(([to]) => to);
    },
    requestedTwice() {
      const counts = new Map<string, number>();
      for (const request of cloud.sends()) counts.set(messageIdOf(request), (counts.get(messageIdOf(request)) ?? 0) + 1);
      return [...counts].filter(([, count]) => count > 1).map(([id]) => id);
    },
    busiestSecond: () => busiestWindow(cloud.sends()).count,
  };
}
