import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { useAsync } from '../../lib/use-async.js';
import { useSubmission } from '../../lib/use-submission.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Panel } from '../../ui/panel.js';
import { TextField } from '../../ui/text-field.js';
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

interface TimeCellProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly disabled: boolean;
  readonly onChange: (time: string) => void;
}

/** A day's opening or closing time: a cell of the week table, named for screen readers. */
function TimeCell({ id, label, value, disabled, onChange }: TimeCellProps) {
  return (
    <td>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="time" disabled={disabled} value={value} onChange={(event) => onChange(event.target.value)} />
    </td>
  );
}

/** The team's opening hours (one interval a day), time zone and closed dates; away messages read them. */
export function BusinessHoursForm() {
  const { t } = useTranslation();
  const stored = useAsync(() => getBusinessHours(), []);
  const [timezone, setTimezone] = useState('UTC');
  const [week, setWeek] = useState<Record<Weekday, DayHours> | null>(null);
  const [closed, setClosed] = useState('');
  const saving = useSubmission();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const hours = stored.data;
    if (!hours) return;
    setTimezone(hours.timezone);
    setWeek(Object.fromEntries(days.map((day) => [day, dayOf(hours, day)])) as Record<Weekday, DayHours>);
    setClosed(hours.closed_dates.join(', '));
  }, [stored.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!week) return;
    setSaved(false);
    void saving.run(async () => {
      await saveBusinessHours({
        timezone: timezone.trim(),
        week: Object.fromEntries(days.map((day) => [day, week[day].open ? [[week[day].start, week[day].end]] : []])),
        closed_dates: closed.split(',').map((date) => date.trim()).filter((date) => date !== ''),
      });
      setSaved(true);
    });
  };

  const setDay = (day: Weekday, change: Partial<DayHours>) => {
    setSaved(false);
    setWeek((old) => (old ? { ...old, [day]: { ...old[day], ...change } } : old));
  };

  return (
    <Panel titleId="business-hours-title" title={t('automations.hours.title')}>
      <InlineError error={stored.error} />
      {week ? (
        <form className="card form-grid" onSubmit={submit} aria-labelledby="business-hours-title">
          <TextField id="business-timezone" label={t('automations.hours.timezone')} required value={timezone} onChange={setTimezone} placeholder="America/Sao_Paulo" />
          <TextField id="business-closed" label={t('automations.hours.closedDates')} value={closed} onChange={setClosed} placeholder="2026-12-25, 2027-01-01" />
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
                  <TimeCell id={`opens-${day}`} label={t('automations.hours.opens', { day: label })} value={week[day].start} disabled={!week[day].open} onChange={(start) => setDay(day, { start })} />
                  <TimeCell id={`closes-${day}`} label={t('automations.hours.closes', { day: label })} value={week[day].end} disabled={!week[day].open} onChange={(end) => setDay(day, { end })} />
                </tr>
              ))}
            </tbody>
          </table>
          <InlineError error={saving.error} />
          <FormActions wide submit={t('automations.hours.save')}>
            {saved ? (
              <span role="status" className="hint">
                {t('automations.hours.saved')}
              </span>
            ) : null}
          </FormActions>
        </form>
      ) : null}
    </Panel>
  );
}
