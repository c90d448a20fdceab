// The state of a form's request: busy while it runs, and the error it ended with.
import { useCallback, useState } from 'react';

export interface Submission {
  readonly busy: boolean;
  readonly error: unknown;
  /** Shows an error the form found itself, before any request. */
  readonly setError: (error: unknown) => void;
  /** Runs `action`: busy until it settles, its error (if any) kept for the form to show. */
  readonly run: (action: () => Promise<void>) => Promise<void>;
}

export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
