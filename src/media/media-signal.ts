/** Tells this process's media worker that work was committed (other processes find it by polling). */
import { EventEmitter } from 'node:events';

export const mediaSignal = new EventEmitter();
mediaSignal.setMaxListeners(0);

export function signalMediaWork(): void {
  mediaSignal.emit('work');
}
