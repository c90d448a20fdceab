/** A polite "Loading…" line; screen readers hear it once, sighted users see a small spinner. */
export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
