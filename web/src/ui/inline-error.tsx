import { errorMessage } from '../api/api-error.js';

/** An error sentence announced to screen readers, or nothing when there is no error. */
export function InlineError({ error, id }: { readonly error: unknown; readonly id?: string }) {
  if (!error) return null;
  return (
    <p className="inline-error" role="alert" id={id}>
      {typeof error === 'string' ? error : errorMessage(error)}
    </p>
  );
}
