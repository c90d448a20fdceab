/**
 * Writes the outbound webhook deliveries of every recorded event, inside the transaction that
 * records it: committed together with the change, or not at all. Registered once per process by
 * `compose` (src/compose.ts) through `onEventRecorded`. Once deliveries are committed, this process's
 * dispatcher is told at once; other processes find them when they next poll.
 */
import { EventEmitter } from 'node:events';
import { afterCommit } from '../db/transaction.js';
import type { EventHook } from '../events/record-event.js';
import { DeliveryRepository } from './delivery.repository.js';

/** Emits `enqueued` after a commit that added deliveries (events no endpoint wants wake nobody). */
export const outboxSignal = new EventEmitter<{ enqueued: [] }>();
outboxSignal.setMaxListeners(0);

export const enqueueWebhookDeliveries: EventHook = async (db, events) => {
  const added = await new DeliveryRepository(db).enqueue(events.map((event) => event.id));
  if (added > 0) afterCommit(db, () => outboxSignal.emit('enqueued'));
};
