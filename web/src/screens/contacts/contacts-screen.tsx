import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
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
import { Screen } from '../../ui/screen.js';
import { SelectField } from '../../ui/select.js';
import { TextField } from '../../ui/text-field.js';
import { ContactForm } from './contact-form.js';
import { CsvImport } from './csv-import.js';
import { tagMatchOptions } from './tag-match.js';
import type { TagMatch } from './tag-match.js';

const PAGE_SIZE = 25;

function columns(t: TFunction, edit: (contact: Contact) => void): readonly Column<Contact>[] {
  return [
    {
      header: t('contacts.name'),
      cell: (contact) => (
        <>
          <Link to={`/inbox/${contact.id}`}>{contactLabel(contact)}</Link>
          {contact.opted_out ? <span className="pill pill-muted">{t('contacts.optedOut')}</span> : null}
        </>
      ),
    },
    { header: t('contacts.phone'), cell: (contact) => contact.phone },
    { header: t('contacts.email'), cell: (contact) => contact.email ?? '' },
    {
      header: t('contacts.tags'),
      cell: (contact) =>
        contact.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        )),
    },
    { header: t('contacts.messages'), cell: (contact) => formatNumber(contact.message_count ?? 0) },
    { header: t('contacts.added'), cell: (contact) => formatListTime(contact.created_at) },
    {
      header: t('common.actions'),
      hiddenHeader: true,
      cell: (contact) => (
        <button type="button" aria-label={t('contacts.editContact', { name: contactLabel(contact) })} onClick={() => edit(contact)}>
          {t('contacts.edit')}
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
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [tagText, setTagText] = useState('');
  const [match, setMatch] = useState<TagMatch>('all');
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
  const filter =
    <V,>(set: (value: V) => void) =>
    (value: V) => {
      set(value);
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
    <Screen
      title={t('contacts.title')}
      actions={
        <div className="actions">
          <button type="button" onClick={() => setEditing({ kind: 'import' })}>
            {t('contacts.importCsv')}
          </button>
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'create' })}>
            {t('contacts.newContact')}
          </button>
        </div>
      }
    >
      <div className="toolbar" role="search">
        <TextField id="contacts-search" label={t('contacts.search')} type="search" placeholder={t('contacts.searchPlaceholder')} value={search} onChange={filter(setSearch)} />
        <TextField id="contacts-tags" label={t('contacts.tags')} placeholder={t('contacts.tagsPlaceholder')} value={tagText} onChange={filter(setTagText)} />
        <SelectField id="contacts-match" label={t('contacts.match')} options={tagMatchOptions(t)} value={match} onChange={filter(setMatch)} />
      </div>
      <div className="table-wrap" aria-busy={page.loading}>
        <DataTable
          caption={t('contacts.title')}
          columns={columns(t, (contact) => setEditing({ kind: 'edit', contact }))}
          rows={page.data?.items}
          rowKey={(contact) => contact.id}
          request={page}
          loadingLabel={t('contacts.loading')}
          empty={t('contacts.empty')}
        />
      </div>
      <CursorPager label={t('contacts.pages')} pages={pages} nextCursor={page.data?.next_cursor} />
      <Dialog
        title={
          editing.kind === 'edit'
            ? t('contacts.editContact', { name: contactLabel(editing.contact) })
            : editing.kind === 'import'
              ? t('contacts.importTitle')
              : t('contacts.newContact')
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
    </Screen>
  );
}
