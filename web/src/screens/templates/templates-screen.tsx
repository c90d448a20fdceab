import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listTemplates, syncTemplates } from '../../api/templates.js';
import type { CatalogueTemplate } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { useSession } from '../../session/session-context.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { fieldKey } from './template-values.js';

const statuses = ['', 'APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'DELETED'] as const;

/** Pill colours: approved green, waiting or paused amber, refused or gone red. */
function pillClass(status: string): string {
  if (status === 'APPROVED') return 'pill pill-completed';
  if (status === 'PENDING' || status === 'PAUSED' || status === 'IN_APPEAL') return 'pill pill-paused';
  if (status === 'REJECTED' || status === 'DISABLED' || status === 'DELETED') return 'pill pill-failed';
  return 'pill pill-muted';
}

/** A status FlowChat knows, in the reader's language; any other as Meta names it. */
function statusLabel(status: string, t: TFunction): string {
  return (statuses as readonly string[]).includes(status) && status ? t(`templates.statuses.${status as Exclude<(typeof statuses)[number], ''>}`) : status;
}

function bodyText(template: CatalogueTemplate): string {
  const body = template.components.find((component) => String(component['type']).toUpperCase() === 'BODY');
  return typeof body?.['text'] === 'string' ? body['text'] : '';
}

/** The template catalogue with each template's status; admins fetch it from Meta again on demand. */
export function TemplatesScreen() {
  const id = useId();
  const { user } = useSession();
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const templates = useAsync(() => listTemplates({ status, q }), [status, q]);
  // A status Meta changes (approved, paused, rejected) shows at once.
  useEvent('template.updated', (updated) =>
    templates.setData((old) => old?.map((item) => (item.id === updated.id ? updated : item))),
  );
  const [syncing, setSyncing] = useState(false);
  const [syncNote, setSyncNote] = useState('');
  const [syncError, setSyncError] = useState<unknown>(null);

  const sync = async () => {
    setSyncing(true);
    setSyncError(null);
    setSyncNote('');
    try {
      const result = await syncTemplates();
      setSyncNote(t('templates.synced', { added: result.added, updated: result.updated, removed: result.removed }));
      templates.reload();
    } catch (reason) {
      setSyncError(reason);
    } finally {
      setSyncing(false);
    }
  };

  const items = templates.data ?? [];
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{t('templates.title')}</h1>
        {user.role === 'admin' ? (
          <button type="button" className="primary" disabled={syncing} onClick={() => void sync()}>
            {syncing ? t('templates.syncing') : t('templates.sync')}
          </button>
        ) : null}
      </header>
      <p className="hint">{t('templates.hint')}</p>
      <p role="status">{syncNote}</p>
      <InlineError error={syncError ?? templates.error} />
      <div className="filters">
        <div className="field-inline">
          <label htmlFor={`${id}-status`}>{t('templates.status')}</label>
          <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value)}>
            {statuses.map((value) => (
              <option key={value} value={value}>
                {value ? t(`templates.statuses.${value}`) : t('templates.all')}
              </option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor={`${id}-q`}>{t('templates.name')}</label>
          <input id={`${id}-q`} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
      </div>
      {templates.loading && !templates.data ? <Loading label={t('templates.loading')} /> : null}
      {!templates.loading && items.length === 0 && !templates.error ? <p className="empty">{t('templates.empty')}</p> : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">{t('templates.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('templates.name')}</th>
              <th scope="col">{t('templates.language')}</th>
              <th scope="col">{t('templates.category')}</th>
              <th scope="col">{t('templates.status')}</th>
              <th scope="col">{t('templates.body')}</th>
              <th scope="col">{t('templates.variables')}</th>
              <th scope="col">{t('templates.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((template) => (
              <tr key={template.id}>
                <td>{template.name}</td>
                <td>{template.language}</td>
                <td>{template.category ?? '—'}</td>
                <td>
                  <span className={pillClass(template.status)}>{statusLabel(template.status, t)}</span>
                  {template.rejected_reason ? <span className="hint"> {template.rejected_reason}</span> : null}
                </td>
                <td className="template-body-cell">{bodyText(template)}</td>
                <td>{template.parameters.map(fieldKey).join(', ') || '—'}</td>
                <td>{formatDateTime(template.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
