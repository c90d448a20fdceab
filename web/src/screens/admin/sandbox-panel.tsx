import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { simulateInbound } from '../../api/admin.js';
import { Link } from '../../router/link.js';
import { useSubmission } from '../../lib/use-submission.js';
import { Field } from '../../ui/field.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Panel } from '../../ui/panel.js';
import { TextField } from '../../ui/text-field.js';
import { uploadMedia } from '../inbox/media/media-api.js';

/**
 * Plays a customer writing in over WhatsApp, so a new user can try the whole flow without a
 * Meta account: the message arrives through the same path a real one does.
 */
export function SandboxPanel() {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('+14155550123');
  const [name, setName] = useState(() => t('admin.sandbox.defaultName'));
  const [text, setText] = useState(() => t('admin.sandbox.defaultMessage'));
  const [file, setFile] = useState<File | null>(null);
  const sending = useSubmission();
  const [sent, setSent] = useState<{ readonly contactId: string | null; readonly text: string } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!phone.trim() || (!text.trim() && !file)) return sending.setError(t('admin.sandbox.needed'));
    void sending.run(async () => {
      const media = file ? await uploadMedia(file, () => undefined, new AbortController().signal) : undefined;
      const caption = media && (media.kind === 'audio' || media.kind === 'sticker') ? undefined : text.trim() || undefined;
      const answer = await simulateInbound({ phone: phone.trim(), name: name.trim(), ...(caption ? { text: caption } : {}), ...(media ? { media_id: media.id } : {}) });
      setSent({ contactId: answer?.contact?.id ?? answer?.message?.contact_id ?? null, text: file ? file.name : text.trim() });
    });
  };

  return (
    <Panel titleId="sandbox-title" title={t('admin.sandbox.title')} hint={t('admin.sandbox.help')}>
      <form className="card form-grid" onSubmit={submit}>
        <TextField id="sandbox-phone" label={t('admin.sandbox.phone')} type="tel" value={phone} onChange={setPhone} />
        <TextField id="sandbox-name" label={t('admin.sandbox.name')} value={name} onChange={setName} />
        <Field id="sandbox-text" label={t('admin.sandbox.message')} className="field-wide">
          {(control) => <textarea {...control} rows={3} value={text} onChange={(event) => setText(event.target.value)} />}
        </Field>
        <Field id="sandbox-file" label={t('admin.sandbox.file')} className="field-wide">
          {(control) => <input {...control} type="file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />}
        </Field>
        <InlineError error={sending.error} />
        <FormActions wide disabled={sending.busy} submit={t('admin.sandbox.submit')} />
      </form>
      {sent ? (
        <p role="status" className="notice">
          {t('admin.sandbox.delivered', { text: sent.text })}{' '}
          <Link to={sent.contactId ? `/inbox/${sent.contactId}` : '/inbox'}>{t('admin.sandbox.open')}</Link>
        </p>
      ) : null}
    </Panel>
  );
}
