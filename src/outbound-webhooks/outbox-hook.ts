/**
 * Writes the outbound webhook deliveries of every recorded event, inside the transaction that
 * records it: committed together with the change, or not at all. Registered once per process by
 * `compose` (src/compose.ts) through `eventRecording(db).onRecorded`. Once deliveries are committed, this process's
 * dispatcher is told at once; other processes find them when they next poll.
 */
import { signalWork } from '../db/work-signals.js';
import type { EventHook } from '../events/record-event.js';
import { DeliveryRepository } from './delivery.repository.js';

export const enqueueWebhookDeliveries: EventHook = async (db, events) => {
  const added = await new DeliveryRepository(db).enqueue(events.map((event) => event.id));
  // Events no endpoint wants wake nobody.
  if (added > 0) signalWork(db, 'webhook-deliveries');
};
