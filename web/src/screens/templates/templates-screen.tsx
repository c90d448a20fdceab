import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listTemplates, syncTemplates } from '../../api/templates.js';
import type { CatalogueTemplate } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { formatDateTime } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { useSubmission } from '../../lib/use-submission.js';
import { useSession } from '../../session/session-context.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { InlineError } from '../../ui/inline-error.js';
import { Screen } from '../../ui/screen.js';
import { Select } from '../../ui/select.js';
import { fieldKey } from './template-values.js';

const statuses = ['', 'APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'IN_APPEAL', 'DELETED'] as const;
type Status = (typeof statuses)[number];

/** Pill colours: approved green, waiting or paused amber, refused or gone red. */
function pillClass(status: string): string {
  if (status === 'APPROVED') return 'pill pill-completed';
  if (status === 'PENDING' || status === 'PAUSED' || status === 'IN_APPEAL') return 'pill pill-paused';
  if (status === 'REJECTED' || status === 'DISABLED' || status === 'DELETED') return 'pill pill-failed';
  return 'pill pill-muted';
}

/** A status FlowChat knows, in the reader's language; any other as Meta names it. */
function statusLabel(status: string, t: TFunction): string {
  return (statuses as readonly string[]).includes(status) && status ? t(`templates.statuses.${status as Exclude<Status, ''>}`) : status;
}

function bodyText(template: CatalogueTemplate): string {
  const body = template.components.find((component) => String(component['type']).toUpperCase() === 'BODY');
  return typeof body?.['text'] === 'string' ? body['text'] : '';
}

function columns(t: TFunction): readonly Column<CatalogueTemplate>[] {
  return [
    { header: t('templates.name'), cell: (template) => template.name },
    { header: t('templates.language'), cell: (template) => template.language },
    { header: t('templates.category'), cell: (template) => template.category ?? '—' },
    {
      header: t('templates.status'),
      cell: (template) => (
        <>
          <span className={pillClass(template.status)}>{statusLabel(template.status, t)}</span>
          {template.rejected_reason ? <span className="hint"> {template.rejected_reason}</span> : null}
        </>
      ),
    },
    { header: t('templates.body'), className: 'template-body-cell', cell: bodyText },
    { header: t('templates.variables'), cell: (template) => template.parameters.map(fieldKey).join(', ') || '—' },
    { header: t('templates.updated'), cell: (template) => formatDateTime(template.updated_at) },
  ];
}

/** The template catalogue with each template's status; admins fetch it from Meta again on demand. */
export function TemplatesScreen() {
  const id = useId();
  const { user } = useSession();
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>('');
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 250);
  const templates = useAsync(() => listTemplates({ status, q }), [status, q]);
  // A status Meta changes (approved, paused, rejected) shows at once.
  useEvent('template.updated', (updated) =>
    templates.setData((old) => old?.map((item) => (item.id === updated.id ? updated : item))),
  );
  const syncing = useSubmission();
  const [syncNote, setSyncNote] = useState('');

  const sync = () => {
    setSyncNote('');
    void syncing.run(async () => {
      const result = await syncTemplates();
      setSyncNote(t('templates.synced', { added: result.added, updated: result.updated, removed: result.removed }));
      templates.reload();
    });
  };

  const syncButton =
    user.role === 'admin' ? (
      <button type="button" className="primary" disabled={syncing.busy} onClick={sync}>
        {syncing.busy ? t('templates.syncing') : t('templates.sync')}
      </button>
    ) : null;
  return (
    <Screen title={t('templates.title')} actions={syncButton}>
      <p className="hint">{t('templates.hint')}</p>
      <p role="status">{syncNote}</p>
      <InlineError error={syncing.error} />
      <div className="filters">
        <div className="field-inline">
          <label htmlFor={`${id}-status`}>{t('templates.status')}</label>
          <Select
            id={`${id}-status`}
            value={status}
            onChange={setStatus}
            options={statuses.map((value) => ({ value, label: value ? t(`templates.statuses.${value}`) : t('templates.all') }))}
          />
        </div>
        <div className="field-inline">
          <label htmlFor={`${id}-q`}>{t('templates.name')}</label>
          <input id={`${id}-q`} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
      </div>
      <DataTable
        caption={t('templates.caption')}
        columns={columns(t)}
        list={templates}
        rowKey={(template) => template.id}
        loadingLabel={t('templates.loading')}
        empty={t('templates.empty')}
        hideWhenEmpty
      />
    </Screen>
  );
}
