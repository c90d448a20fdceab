import { useState } from 'react';
import { listContacts } from '../../api/contacts.js';
import type { Contact, Page } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { contactLabel, formatListTime, formatNumber, parseTags } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { Link } from '../../router/link.js';
import { Dialog } from '../../ui/dialog.js';
import { CursorPager, useCursorPages } from '../../ui/cursor-pager.js';
import { DataTable } from '../../ui/data-table.js';
import type { Column } from '../../ui/data-table.js';
import { Field } from '../../ui/field.js';
import { ContactForm } from './contact-form.js';
import { CsvImport } from './csv-import.js';

const PAGE_SIZE = 25;

function columns(edit: (contact: Contact) => void): readonly Column<Contact>[] {
  return [
    {
      header: 'Name',
      cell: (contact) => (
        <>
          <Link to={`/inbox/${contact.id}`}>{contactLabel(contact)}</Link>
          {contact.opted_out ? <span className="pill pill-muted">opted out</span> : null}
        </>
      ),
    },
    { header: 'Phone', cell: (contact) => contact.phone },
    { header: 'Email', cell: (contact) => contact.email ?? '' },
    {
      header: 'Tags',
      cell: (contact) =>
        contact.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        )),
    },
    { header: 'Messages', cell: (contact) => formatNumber(contact.message_count ?? 0) },
    { header: 'Added', cell: (contact) => formatListTime(contact.created_at) },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (contact) => (
        <button type="button" aria-label={`Edit ${contactLabel(contact)}`} onClick={() => edit(contact)}>
          Edit
        </button>
      ),
    },
  ];
}

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
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });

  const page = useAsync<Page<Contact>>(
    (signal) =>
      listContacts({ q, tags: parseTags(tags), match, limit: PAGE_SIZE, cursor, sort: 'created_at', order: 'desc' }, signal),
    [q, tags, match, cursor],
  );

  /** A filter's new value, which starts the paging over. */
  const filter = (set: (value: string) => void) => (event: { target: { value: string } }) => {
    set(event.target.value);
    pages.reset();
  };

  useEvent('contact.updated', (contact) =>
    page.setData(
      (old) => old && { ...old, items: old.items.map((item) => (item.id === contact.id ? { ...item, ...contact } : item)) },
    ),
  );

  const closeDialog = () => setEditing({ kind: 'none' });
  const saved = () => {
    closeDialog();
    page.reload();
  };

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
        <Field id="contacts-search" label="Search">
          {(control) => <input {...control} type="search" placeholder="Name, phone or email" value={search} onChange={filter(setSearch)} />}
        </Field>
        <Field id="contacts-tags" label="Tags">
          {(control) => <input {...control} placeholder="vip, recife" value={tagText} onChange={filter(setTagText)} />}
        </Field>
        <Field id="contacts-match" label="Match">
          {(control) => (
            <select {...control} value={match} onChange={filter((value) => setMatch(value === 'any' ? 'any' : 'all'))}>
              <option value="all">All tags</option>
              <option value="any">Any tag</option>
            </select>
          )}
        </Field>
      </div>
      <div className="table-wrap" aria-busy={page.loading}>
        <DataTable
          caption="Contacts"
          columns={columns((contact) => setEditing({ kind: 'edit', contact }))}
          rows={page.data?.items}
          rowKey={(contact) => contact.id}
          request={page}
          loadingLabel="Loading contacts…"
          empty="No contacts match."
        />
      </div>
      <CursorPager label="Contact pages" pages={pages} nextCursor={page.data?.next_cursor} />
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
          <ContactForm contact={editing.kind === 'edit' ? editing.contact : null} onSaved={saved} onDeleted={saved} />
        ) : null}
      </Dialog>
    </div>
  );
}
