import { useTranslation } from 'react-i18next';

/** A polite "Loading…" line; screen readers hear it once, sighted users see a small spinner. */
export function Loading({ label }: { readonly label?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}
