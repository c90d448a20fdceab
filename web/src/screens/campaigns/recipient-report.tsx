import { useState } from 'react';
import { listRecipients } from '../../api/campaigns.js';
import type { Page, Recipient } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';

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

/** Who got what: one row per recipient, filtered by status, paged by cursor. */
export function RecipientReport({ campaignId, version }: { readonly campaignId: string; readonly version: number }) {
  const [status, setStatus] = useState<string>('');
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useAsync<Page<Recipient>>(() => listRecipients(campaignId, status, cursor), [campaignId, status, cursor, version]);
  const items = page.data?.items ?? [];

  return (
    <section className="recipient-report" aria-labelledby="recipients-title">
      <div className="section-header">
        <h2 id="recipients-title">Recipients</h2>
        <div className="actions">
          <a className="button" href={`/api/v1/campaigns/${encodeURIComponent(campaignId)}/recipients.csv`} download>
            Export CSV
          </a>
          <div className="field field-inline">
            <label htmlFor="recipient-status">Status</label>
            <select
              id="recipient-status"
              value={status}
              onChange={(event) => {
                setStatus(event.target.value);
                setCursors([null]);
              }}
            >
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value || 'All'}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <InlineError error={page.error} />
      <table className="table">
        <caption className="visually-hidden">Recipients</caption>
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Phone</th>
            <th scope="col">Status</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {items.map((recipient) => (
            <tr key={recipient.contact_id}>
              <td>
                <Link to={`/inbox/${recipient.contact_id}`}>{recipient.name || recipient.phone || 'Unknown contact'}</Link>
              </td>
              <td>{recipient.phone}</td>
              <td>
                <span className={`pill pill-${recipient.status}`}>{recipient.status}</span>
              </td>
              <td>{noteFor(recipient)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.loading && !page.data ? <Loading label="Loading recipients…" /> : null}
      {!page.loading && items.length === 0 && !page.error ? <p className="empty">No recipients with this status.</p> : null}
      <nav className="pager" aria-label="Recipient pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {cursors.length}</span>
        <button
          type="button"
          disabled={!page.data?.next_cursor}
          onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}
        >
          Next page
        </button>
      </nav>
    </section>
  );
}
