/**
 * Awaits `promise` inside an effect and hands on its answer, unless the effect was cleaned up
 * first (its dependencies changed or the component went away). Returns that cleanup.
 *
 * @example useEffect(() => awaitInEffect(getAvailability(), setAvailable), []);
 */
export function awaitInEffect<T>(promise: Promise<T>, onValue: (value: T) => void, onError: (reason: unknown) => void): () => void {
  let stale = false;
  promise.then(
    (value) => {
      if (!stale) onValue(value);
    },
    (reason: unknown) => {
      if (!stale) onError(reason);
    },
  );
  return () => {
    stale = true;
  };
}
