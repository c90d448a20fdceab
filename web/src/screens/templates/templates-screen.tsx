import { useId, useState } from 'react';
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

function bodyText(template: CatalogueTemplate): string {
  const body = template.components.find((component) => String(component['type']).toUpperCase() === 'BODY');
  return typeof body?.['text'] === 'string' ? body['text'] : '';
}

/** The template catalogue with each template's status; admins fetch it from Meta again on demand. */
export function TemplatesScreen() {
  const id = useId();
  const { user } = useSession();
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
      setSyncNote(`Synced: ${result.added} added, ${result.updated} updated, ${result.removed} removed.`);
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
        <h1>Templates</h1>
        {user.role === 'admin' ? (
          <button type="button" className="primary" disabled={syncing} onClick={() => void sync()}>
            {syncing ? 'Syncing…' : 'Sync from WhatsApp'}
          </button>
        ) : null}
      </header>
      <p className="hint">Approved templates can be sent at any time, also outside the 24-hour window. The list is refreshed from Meta every 15 minutes.</p>
      <p role="status">{syncNote}</p>
      <InlineError error={syncError ?? templates.error} />
      <div className="filters">
        <div className="field-inline">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value)}>
            {statuses.map((value) => (
              <option key={value} value={value}>
                {value || 'All'}
              </option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor={`${id}-q`}>Name</label>
          <input id={`${id}-q`} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
      </div>
      {templates.loading && !templates.data ? <Loading label="Loading templates…" /> : null}
      {!templates.loading && items.length === 0 && !templates.error ? <p className="empty">No templates match.</p> : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Message templates</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Language</th>
              <th scope="col">Category</th>
              <th scope="col">Status</th>
              <th scope="col">Body</th>
              <th scope="col">Variables</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((template) => (
              <tr key={template.id}>
                <td>{template.name}</td>
                <td>{template.language}</td>
                <td>{template.category ?? '—'}</td>
                <td>
                  <span className={pillClass(template.status)}>{template.status}</span>
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
