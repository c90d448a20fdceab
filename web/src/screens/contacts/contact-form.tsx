import { useState } from 'react';
import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error.js';
import { createContact, deleteContact, updateContact } from '../../api/contacts.js';
import type { Contact } from '../../api/types.js';
import { Field } from '../../ui/field.js';
import { InlineError } from '../../ui/inline-error.js';
import { TagEditor } from '../../ui/tag-editor.js';

interface ContactFormProps {
  /** The contact to edit, or null to create one. */
  readonly contact: Contact | null;
  readonly onSaved: (contact: Contact) => void;
  readonly onDeleted: () => void;
}

interface MetadataRow {
  readonly key: string;
  readonly value: string;
}

function rowsOf(metadata: Readonly<Record<string, unknown>>): MetadataRow[] {
  return Object.entries(metadata).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

function messageFor(error: unknown, t: TFunction): unknown {
  if (error instanceof ApiError && error.status === 409) return t('contacts.form.duplicatePhone');
  if (error instanceof ApiError && error.code === 'invalid_phone') return t('contacts.form.invalidPhone');
  return error;
}

/** Create or edit one contact. Metadata keys removed here are sent as null, which deletes them. */
export function ContactForm({ contact, onSaved, onDeleted }: ContactFormProps) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [tags, setTags] = useState<string[]>(contact ? [...contact.tags] : []);
  const [rows, setRows] = useState<MetadataRow[]>(contact ? rowsOf(contact.metadata) : []);
  const [optedOut, setOptedOut] = useState(contact?.opted_out ?? false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async (target: Contact) => {
    if (!window.confirm(t('contacts.form.confirmDelete', { name: target.name || target.phone || t('contacts.form.thisContact') }))) return;
    setBusy(true);
    try {
      await deleteContact(target.id);
      onDeleted();
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!phone.trim()) {
      setError(t('contacts.form.enterPhone'));
      return;
    }
    const metadata: Record<string, string | null> = {};
    for (const row of rows) if (row.key.trim()) metadata[row.key.trim()] = row.value;
    for (const key of Object.keys(contact?.metadata ?? {})) if (!(key in metadata)) metadata[key] = null;
    const input = {
      phone: phone.trim(),
      name: name.trim() || null,
      email: email.trim() || null,
      tags,
      metadata,
      opted_out: optedOut,
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(contact ? await updateContact(contact.id, input) : await createContact(input));
    } catch (reason) {
      setError(messageFor(reason, t));
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <Field id="contact-phone" label={t('contacts.phone')}>
        {(control) => (
          <input {...control} type="tel" value={phone} required placeholder="+14155550123" onChange={(event) => setPhone(event.target.value)} />
        )}
      </Field>
      <Field id="contact-name" label={t('contacts.name')}>
        {(control) => <input {...control} value={name} onChange={(event) => setName(event.target.value)} />}
      </Field>
      <Field id="contact-email" label={t('contacts.email')}>
        {(control) => <input {...control} type="email" value={email} onChange={(event) => setEmail(event.target.value)} />}
      </Field>
      <TagEditor label={t('contacts.tags')} tags={tags} onChange={setTags} />
      <fieldset className="metadata-fieldset">
        <legend>{t('contacts.form.details')}</legend>
        {rows.map((row, index) => (
          <div className="metadata-edit-row" key={index}>
            <input
              aria-label={t('contacts.form.detailName', { number: index + 1 })}
              value={row.key}
              onChange={(event) =>
                setRows(rows.map((other, at) => (at === index ? { ...other, key: event.target.value } : other)))
              }
            />
            <input
              aria-label={t('contacts.form.detailValue', { number: index + 1 })}
              value={row.value}
              onChange={(event) =>
                setRows(rows.map((other, at) => (at === index ? { ...other, value: event.target.value } : other)))
              }
            />
            <button
              type="button"
              aria-label={t('contacts.form.removeDetail', { number: index + 1 })}
              onClick={() => setRows(rows.filter((_, at) => at !== index))}
            >
              ×
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          {t('contacts.form.addDetail')}
        </button>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={optedOut} onChange={(event) => setOptedOut(event.target.checked)} />
        {t('contacts.form.optedOut')}
      </label>
      <InlineError error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {contact ? t('contacts.form.save') : t('contacts.form.create')}
        </button>
        {contact ? (
          <button type="button" className="danger" disabled={busy} onClick={() => void remove(contact)}>
            {t('contacts.form.delete')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
