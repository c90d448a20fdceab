import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.js';
import { getAvailability, setAvailability } from './api.js';

/** The signed-in agent's "available" switch: off, automatic assignment skips them. */
export function AvailabilityToggle() {
  // Until it is known (or when it cannot be), there is no switch to show.
  const availability = useAsync(() => getAvailability(), []);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();

  const available = availability.data;
  if (available === undefined) return null;
  const change = async (next: boolean) => {
    setBusy(true);
    try {
      const answer = await setAvailability(next);
      availability.setData(() => answer.available);
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
