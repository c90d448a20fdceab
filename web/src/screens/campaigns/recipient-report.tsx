import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { listRecipients } from '../../api/campaigns.js';
import type { Page, Recipient } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { CursorPager, useCursorPages } from '../../ui/cursor-pager.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';

const STATUSES = ['', 'pending', 'sent', 'delivered', 'read', 'failed', 'canceled', 'skipped'] as const;

/** The error, or why the message waits or was skipped, in words. */
function noteFor(recipient: Recipient, t: TFunction): string {
  if (recipient.error) return `${recipient.error.message} (${recipient.error.code})`;
  const reasons: Readonly<Record<string, string>> = t('campaigns.report.reasons', { returnObjects: true });
  const reason = recipient.reason ? (reasons[recipient.reason] ?? recipient.reason) : '';
  return [reason, recipient.detail].filter(Boolean).join(': ');
}

function columns(t: TFunction): readonly Column<Recipient>[] {
  return [
    {
      header: t('campaigns.report.contact'),
      cell: (recipient) => (
        <Link to={`/inbox/${recipient.contact_id}`}>{recipient.name || recipient.phone || t('campaigns.report.unknownContact')}</Link>
      ),
    },
    { header: t('campaigns.report.phone'), cell: (recipient) => recipient.phone },
    {
      header: t('campaigns.report.status'),
      cell: (recipient) => <span className={`pill pill-${recipient.status}`}>{t(`status.${recipient.status}`)}</span>,
    },
    { header: t('campaigns.report.note'), cell: (recipient) => noteFor(recipient, t) },
  ];
}

/** Who got what: one row per recipient, filtered by status, paged by cursor. */
export function RecipientReport({ campaignId, version }: { readonly campaignId: string; readonly version: number }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('');
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const page = useAsync<Page<Recipient>>(() => listRecipients(campaignId, status, cursor), [campaignId, status, cursor, version]);

  return (
    <section className="recipient-report" aria-labelledby="recipients-title">
      <div className="section-header">
        <h2 id="recipients-title">{t('campaigns.report.title')}</h2>
        <div className="actions">
          <a className="button" href={`/api/v1/campaigns/${encodeURIComponent(campaignId)}/recipients.csv`} download>
            {t('campaigns.report.exportCsv')}
          </a>
          <Field id="recipient-status" label={t('campaigns.report.status')} className="field-inline">
            {(control) => (
              <select
                {...control}
                value={status}
                onChange={(event) => {
                  setStatus(event.target.value);
                  pages.reset();
                }}
              >
                {STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {value ? t(`status.${value}`) : t('campaigns.report.all')}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </div>
      <DataTable
        caption={t('campaigns.report.title')}
        columns={columns(t)}
        rows={page.data?.items}
        rowKey={(recipient) => recipient.contact_id}
        request={page}
        loadingLabel={t('campaigns.report.loading')}
        empty={t('campaigns.report.empty')}
      />
      <CursorPager label={t('campaigns.report.pages')} pages={pages} nextCursor={page.data?.next_cursor} />
    </section>
  );
}
