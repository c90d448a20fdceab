import { useState } from 'react';
import { listRecipients } from '../../api/campaigns.js';
import type { Page, Recipient } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { CursorPager, useCursorPages } from '../../ui/cursor-pager.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';

const STATUSES = ['', 'pending', 'sent', 'delivered', 'read', 'failed', 'canceled', 'skipped'] as const;

const REASONS: Readonly<Record<string, string>> = {
  campaign_paused: 'Waiting: campaign paused',
  daily_limit: 'Waiting: daily messaging limit reached',
  scheduled: 'Waiting for the scheduled start',
  retry_wait: 'Waiting to retry',
  sending: 'Sending',
  missing_variable: 'Skipped: missing template variable',
};

/** The error, or why the message waits or was skipped, in words. */
function noteFor(recipient: Recipient): string {
  if (recipient.error) return `${recipient.error.message} (${recipient.error.code})`;
  const reason = recipient.reason ? (REASONS[recipient.reason] ?? recipient.reason) : '';
  return [reason, recipient.detail].filter(Boolean).join(': ');
}

const COLUMNS: readonly Column<Recipient>[] = [
  {
    header: 'Contact',
    cell: (recipient) => (
      <Link to={`/inbox/${recipient.contact_id}`}>{recipient.name || recipient.phone || 'Unknown contact'}</Link>
    ),
  },
  { header: 'Phone', cell: (recipient) => recipient.phone },
  { header: 'Status', cell: (recipient) => <span className={`pill pill-${recipient.status}`}>{recipient.status}</span> },
  { header: 'Note', cell: noteFor },
];

/** Who got what: one row per recipient, filtered by status, paged by cursor. */
export function RecipientReport({ campaignId, version }: { readonly campaignId: string; readonly version: number }) {
  const [status, setStatus] = useState<string>('');
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const page = useAsync<Page<Recipient>>(() => listRecipients(campaignId, status, cursor), [campaignId, status, cursor, version]);

  return (
    <section className="recipient-report" aria-labelledby="recipients-title">
      <div className="section-header">
        <h2 id="recipients-title">Recipients</h2>
        <div className="actions">
          <a className="button" href={`/api/v1/campaigns/${encodeURIComponent(campaignId)}/recipients.csv`} download>
            Export CSV
          </a>
          <Field id="recipient-status" label="Status" className="field-inline">
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
                    {value || 'All'}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </div>
      <DataTable
        caption="Recipients"
        columns={COLUMNS}
        rows={page.data?.items}
        rowKey={(recipient) => recipient.contact_id}
        request={page}
        loadingLabel="Loading recipients…"
        empty="No recipients with this status."
      />
      <CursorPager label="Recipient pages" pages={pages} nextCursor={page.data?.next_cursor} />
    </section>
  );
}
