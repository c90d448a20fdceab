import { useState } from 'react';
import type { FormEvent } from 'react';
import { simulateInbound } from '../../api/admin.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { uploadMedia } from '../inbox/media/media-api.js';

/**
 * Plays a customer writing in over WhatsApp, so a new user can try the whole flow without a
 * Meta account: the message arrives through the same path a real one does.
 */
export function SandboxPanel() {
  const [phone, setPhone] = useState('+14155550123');
  const [name, setName] = useState('Test Customer');
  const [text, setText] = useState('Hi! Is my order on its way?');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ readonly contactId: string | null; readonly text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!phone.trim() || (!text.trim() && !file)) {
      setError('A phone number and a text or a file are needed.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const media = file ? await uploadMedia(file, () => undefined, new AbortController().signal) : undefined;
      const caption = media && (media.kind === 'audio' || media.kind === 'sticker') ? undefined : text.trim() || undefined;
      const answer = await simulateInbound({ phone: phone.trim(), name: name.trim(), ...(caption ? { text: caption } : {}), ...(media ? { media_id: media.id } : {}) });
      setSent({ contactId: answer?.contact?.id ?? answer?.message?.contact_id ?? null, text: file ? file.name : text.trim() });
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sandbox-title" className="stack">
      <h2 id="sandbox-title">Simulate a customer</h2>
      <p className="hint">
        FlowChat runs on its built-in sandbox channel: nothing reaches WhatsApp. Send a message as a customer, then answer it from
        the inbox and watch its ticks turn to read.
      </p>
      <form className="card form-grid" onSubmit={submit}>
        <div className="field">
          <label htmlFor="sandbox-phone">Customer phone</label>
          <input id="sandbox-phone" type="tel" value={phone} onChange={(event) => setPhone(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sandbox-name">Customer name</label>
          <input id="sandbox-name" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field field-wide">
          <label htmlFor="sandbox-text">Customer message</label>
          <textarea id="sandbox-text" rows={3} value={text} onChange={(event) => setText(event.target.value)} />
        </div>
        <div className="field field-wide">
          <label htmlFor="sandbox-file">Customer file (optional: a photo, voice note, video, document or sticker; the message becomes its caption)</label>
          <input id="sandbox-file" type="file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </div>
        <InlineError error={error} />
        <div className="actions field-wide">
          <button type="submit" className="primary" disabled={busy}>
            Send as customer
          </button>
        </div>
      </form>
      {sent ? (
        <p role="status" className="notice">
          Delivered “{sent.text}” to the inbox.{' '}
          <Link to={sent.contactId ? `/inbox/${sent.contactId}` : '/inbox'}>Open the conversation</Link>
        </p>
      ) : null}
    </section>
  );
}
