import { useState } from 'react';
import { listContacts } from '../../api/contacts.js';
import type { Contact, Page } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { contactLabel, formatListTime, formatNumber, parseTags } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { Link } from '../../router/link.js';
import { Dialog } from '../../ui/dialog.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { ContactForm } from './contact-form.js';
import { CsvImport } from './csv-import.js';

const PAGE_SIZE = 25;

type Editing =
  | { readonly kind: 'none' }
  | { readonly kind: 'create' }
  | { readonly kind: 'edit'; readonly contact: Contact }
  | { readonly kind: 'import' };

/** The contacts table: search, tag filter, cursor paging, create, edit and CSV import. */
export function ContactsScreen() {
  const [search, setSearch] = useState('');
  const [tagText, setTagText] = useState('');
  const [match, setMatch] = useState<'all' | 'any'>('all');
  const q = useDebounced(search.trim());
  const tags = useDebounced(tagText);
  // Cursors of the pages before the current one, so "Previous" can walk back.
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });

  const page = useAsync<Page<Contact>>(
    (signal) =>
      listContacts({ q, tags: parseTags(tags), match, limit: PAGE_SIZE, cursor, sort: 'created_at', order: 'desc' }, signal),
    [q, tags, match, cursor],
  );

  const resetPaging = () => setCursors([null]);

  useEvent('contact.updated', (contact) =>
    page.setData(
      (old) => old && { ...old, items: old.items.map((item) => (item.id === contact.id ? { ...item, ...contact } : item)) },
    ),
  );

  const closeDialog = () => setEditing({ kind: 'none' });
  const items = page.data?.items ?? [];

  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Contacts</h1>
        <div className="actions">
          <button type="button" onClick={() => setEditing({ kind: 'import' })}>
            Import CSV
          </button>
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'create' })}>
            New contact
          </button>
        </div>
      </header>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor="contacts-search">Search</label>
          <input
            id="contacts-search"
            type="search"
            placeholder="Name, phone or email"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              resetPaging();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="contacts-tags">Tags</label>
          <input
            id="contacts-tags"
            placeholder="vip, recife"
            value={tagText}
            onChange={(event) => {
              setTagText(event.target.value);
              resetPaging();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="contacts-match">Match</label>
          <select
            id="contacts-match"
            value={match}
            onChange={(event) => {
              setMatch(event.target.value === 'any' ? 'any' : 'all');
              resetPaging();
            }}
          >
            <option value="all">All tags</option>
            <option value="any">Any tag</option>
          </select>
        </div>
      </div>
      <InlineError error={page.error} />
      <div className="table-wrap" aria-busy={page.loading}>
        <table className="table">
          <caption className="visually-hidden">Contacts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Phone</th>
              <th scope="col">Email</th>
              <th scope="col">Tags</th>
              <th scope="col">Messages</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((contact) => (
              <tr key={contact.id}>
                <td>
                  <Link to={`/inbox/${contact.id}`}>{contactLabel(contact)}</Link>
                  {contact.opted_out ? <span className="pill pill-muted">opted out</span> : null}
                </td>
                <td>{contact.phone}</td>
                <td>{contact.email ?? ''}</td>
                <td>
                  {contact.tags.map((tag) => (
                    <span key={tag} className="tag">
                      {tag}
                    </span>
                  ))}
                </td>
                <td>{formatNumber(contact.message_count ?? 0)}</td>
                <td>{formatListTime(contact.created_at)}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Edit ${contactLabel(contact)}`}
                    onClick={() => setEditing({ kind: 'edit', contact })}
                  >
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.loading && !page.data ? <Loading label="Loading contacts…" /> : null}
        {!page.loading && items.length === 0 && !page.error ? <p className="empty">No contacts match.</p> : null}
      </div>
      <nav className="pager" aria-label="Contact pages">
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
      <Dialog
        title={
          editing.kind === 'edit'
            ? `Edit ${contactLabel(editing.contact)}`
            : editing.kind === 'import'
              ? 'Import contacts'
              : 'New contact'
        }
        open={editing.kind !== 'none'}
        onClose={closeDialog}
      >
        {editing.kind === 'import' ? (
          <CsvImport onImported={page.reload} />
        ) : editing.kind !== 'none' ? (
          <ContactForm
            contact={editing.kind === 'edit' ? editing.contact : null}
            onSaved={() => {
              closeDialog();
              page.reload();
            }}
            onDeleted={() => {
              closeDialog();
              page.reload();
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}
