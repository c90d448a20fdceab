import { useEffect, useRef, useSyncExternalStore } from 'react';
import { eventStream } from './event-stream.js';
import type { EventPayloads, EventType, StreamState } from './event-stream.js';

/** Runs `handler` for each event of `type` while the component is mounted. */
export function useEvent<T extends EventType>(type: T, handler: (payload: EventPayloads[T]) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => eventStream.on(type, (payload) => latest.current(payload)), [type]);
}

/** Runs `handler` each time the stream comes back after a drop. */
export function useStreamResumed(handler: () => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(
    () =>
      eventStream.onState((_state, resumed) => {
        if (resumed) latest.current();
      }),
    [],
  );
}

export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (notify) => eventStream.onState(() => notify()),
    () => eventStream.getState(),
  );
}
