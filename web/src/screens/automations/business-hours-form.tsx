import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { getBusinessHours, saveBusinessHours, type BusinessHours, type Weekday } from './api.js';

const days: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface DayHours {
  readonly open: boolean;
  readonly start: string;
  readonly end: string;
}

function dayOf(hours: BusinessHours, day: Weekday): DayHours {
  const first = hours.week[day]?.[0];
  return first ? { open: true, start: first[0], end: first[1] } : { open: false, start: '09:00', end: '18:00' };
}

/** The team's opening hours (one interval a day), time zone and closed dates; away messages read them. */
export function BusinessHoursForm() {
  const { t } = useTranslation();
  const stored = useAsync(() => getBusinessHours(), []);
  const [timezone, setTimezone] = useState('UTC');
  const [week, setWeek] = useState<Record<Weekday, DayHours> | null>(null);
  const [closed, setClosed] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const hours = stored.data;
    if (!hours) return;
    setTimezone(hours.timezone);
    setWeek(Object.fromEntries(days.map((day) => [day, dayOf(hours, day)])) as Record<Weekday, DayHours>);
    setClosed(hours.closed_dates.join(', '));
  }, [stored.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!week) return;
    try {
      await saveBusinessHours({
        timezone: timezone.trim(),
        week: Object.fromEntries(days.map((day) => [day, week[day].open ? [[week[day].start, week[day].end]] : []])),
        closed_dates: closed.split(',').map((date) => date.trim()).filter((date) => date !== ''),
      });
      setError(null);
      setSaved(true);
    } catch (reason) {
      setError(reason);
      setSaved(false);
    }
  };

  const setDay = (day: Weekday, change: Partial<DayHours>) => {
    setSaved(false);
    setWeek((old) => (old ? { ...old, [day]: { ...old[day], ...change } } : old));
  };

  return (
    <section aria-labelledby="business-hours-title" className="stack">
      <h2 id="business-hours-title">{t('automations.hours.title')}</h2>
      <InlineError error={stored.error} />
      {week ? (
        <form className="card form-grid" onSubmit={submit} aria-labelledby="business-hours-title">
          <div className="field">
            <label htmlFor="business-timezone">{t('automations.hours.timezone')}</label>
            <input id="business-timezone" required value={timezone} onChange={(event) => setTimezone(event.target.value)} placeholder="America/Sao_Paulo" />
          </div>
          <div className="field">
            <label htmlFor="business-closed">{t('automations.hours.closedDates')}</label>
            <input id="business-closed" value={closed} onChange={(event) => setClosed(event.target.value)} placeholder="2026-12-25, 2027-01-01" />
          </div>
          <table className="table field-wide">
            <caption className="visually-hidden">{t('automations.hours.caption')}</caption>
            <tbody>
              {days.map((day) => [day, t(`automations.hours.days.${day}`)] as const).map(([day, label]) => (
                <tr key={day}>
                  <th scope="row">
                    <label className="checkbox">
                      <input type="checkbox" checked={week[day].open} onChange={(event) => setDay(day, { open: event.target.checked })} /> {label}
                    </label>
                  </th>
                  <td>
                    <label className="visually-hidden" htmlFor={`opens-${day}`}>
                      {t('automations.hours.opens', { day: label })}
                    </label>
                    <input id={`opens-${day}`} type="time" disabled={!week[day].open} value={week[day].start} onChange={(event) => setDay(day, { start: event.target.value })} />
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`closes-${day}`}>
                      {t('automations.hours.closes', { day: label })}
                    </label>
                    <input id={`closes-${day}`} type="time" disabled={!week[day].open} value={week[day].end} onChange={(event) => setDay(day, { end: event.target.value })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <InlineError error={error} />
          <div className="actions field-wide">
            {saved ? (
              <span role="status" className="hint">
                {t('automations.hours.saved')}
              </span>
            ) : null}
            <button type="submit" className="primary">
              {t('automations.hours.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
