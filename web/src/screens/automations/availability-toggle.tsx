import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAvailability, setAvailability } from './api.js';

/** The signed-in agent's "available" switch: off, automatic assignment skips them. */
export function AvailabilityToggle() {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();

  useEffect(() => {
    let stale = false;
    getAvailability().then(
      (value) => {
        if (!stale) setAvailable(value);
      },
      () => undefined,
    );
    return () => {
      stale = true;
    };
  }, []);

  if (available === null) return null;
  const change = async (next: boolean) => {
    setBusy(true);
    try {
      setAvailable((await setAvailability(next)).available);
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className="checkbox availability" title={t('automations.availability.hint')}>
      <input type="checkbox" checked={available} disabled={busy} onChange={(event) => void change(event.target.checked)} />
      {available ? t('automations.availability.available') : t('automations.availability.away')}
    </label>
  );
}
