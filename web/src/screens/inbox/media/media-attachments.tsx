/**
 * Attaching a file to a reply: by the Attach button, by dropping it on the composer, or by pasting
 * it. The upload starts at once with its progress shown; once it is done the agent adds a caption
 * (where WhatsApp shows one) and sends.
 */
import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState } from 'react';
import type { ClipboardEvent, DragEvent, ReactNode } from 'react';
import { ApiError } from '../../../api/api-error.js';
import type { MediaRef, Message } from '../../../api/types.js';
import { randomId } from '../../../lib/random-id.js';
import { InlineError } from '../../../ui/inline-error.js';
import { ProgressBar } from '../../../ui/progress-bar.js';
import { formatBytes, sendMedia, uploadMedia } from './media-api.js';

interface Attachment {
  readonly file: File;
  readonly preview: string | undefined;
  readonly loaded: number;
  readonly media: MediaRef | undefined;
}

interface MediaAttachmentsProps {
  readonly contactId: string;
  readonly onSent: (message: Message) => void;
  readonly onWindowClosed: () => void;
  /** Renders the composer, given the Attach button to place among its actions. */
  readonly children: (attachButton: ReactNode) => ReactNode;
}

/** Images up to WhatsApp's 5 MB get a preview. */
const previewMaxBytes = 5 * 1024 * 1024;

const accepted = 'image/jpeg,image/png,image/webp,video/mp4,video/3gpp,audio/aac,audio/amr,audio/mpeg,audio/mp4,audio/ogg,application/pdf,text/plain,.doc,.docx,.xls,.xlsx,.ppt,.pptx';

export function MediaAttachments({ contactId, onSent, onWindowClosed, children }: MediaAttachmentsProps) {
  const { t } = useTranslation();
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [caption, setCaption] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  const clear = () => {
    abortRef.current?.abort();
    abortRef.current = null;
    setAttachment(null);
    setCaption('');
  };

  useEffect(() => clear, [contactId]);

  const attach = (file: File) => {
    clear();
    setError(null);
    const controller = new AbortController();
    abortRef.current = controller;
    setAttachment({ file, preview: undefined, loaded: 0, media: undefined });
    // A data: URL, which the inbox's Content Security Policy allows for images (blob: it does not).
    if (file.type.startsWith('image/') && file.size <= previewMaxBytes) {
      const reader = new FileReader();
      reader.onload = () => {
        const preview = typeof reader.result === 'string' ? reader.result : undefined;
        setAttachment((current) => (current?.file === file ? { ...current, preview } : current));
      };
      reader.readAsDataURL(file);
    }
    uploadMedia(file, (loaded) => setAttachment((current) => (current?.file === file ? { ...current, loaded } : current)), controller.signal).then(
      (media) => setAttachment((current) => (current?.file === file ? { ...current, loaded: file.size, media } : current)),
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason);
        setAttachment((current) => (current?.file === file ? null : current));
      },
    );
  };

  const send = async () => {
    const media = attachment?.media;
    if (!media || sending) return;
    setSending(true);
    setError(null);
    try {
      const text = caption.trim();
      const captionAllowed = media.kind !== 'audio' && media.kind !== 'sticker';
      onSent(await sendMedia(contactId, { type: media.kind, media_id: media.id, ...(text && captionAllowed ? { caption: text } : {}) }, randomId()));
      clear();
    } catch (reason) {
      if (reason instanceof ApiError && reason.code === 'window_closed') onWindowClosed();
      setError(reason);
    } finally {
      setSending(false);
    }
  };

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    const file = event.dataTransfer.files[0];
    setDragging(false);
    if (!file) return;
    event.preventDefault();
    attach(file);
  };
  const onPaste = (event: ClipboardEvent) => {
    const file = event.clipboardData.files[0];
    if (!file) return;
    event.preventDefault();
    attach(file);
  };

  const attachButton = (
    <>
      <input
        ref={inputRef}
        type="file"
        className="visually-hidden"
        accept={accepted}
        aria-label={t('media.fileToAttach')}
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) attach(file);
        }}
      />
      <button type="button" onClick={() => inputRef.current?.click()}>
        {t('media.attach')}
      </button>
    </>
  );

  const media = attachment?.media;
  return (
    <div
      className={`media-drop-zone ${dragging ? 'media-drop-zone-active' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      {attachment ? (
        <section className="media-attachment" aria-label={t('media.attachment')}>
          {attachment.preview ? <img className="media-attachment-preview" src={attachment.preview} alt="" /> : null}
          <div className="media-attachment-body">
            <p className="media-attachment-name">
              {attachment.file.name || t('media.pastedFile')} <span className="muted">{formatBytes(attachment.file.size)}</span>
            </p>
            {media ? null : (
              <ProgressBar label={t('media.uploading')} value={attachment.loaded} max={attachment.file.size || 1} valueText={`${Math.round((attachment.loaded / (attachment.file.size || 1)) * 100)} %`} />
            )}
            {media && media.kind !== 'audio' && media.kind !== 'sticker' ? (
              <label className="media-caption">
                {t('media.caption')}
                <input value={caption} maxLength={1024} onChange={(event) => setCaption(event.target.value)} placeholder={t('media.optional')} />
              </label>
            ) : null}
            <div className="media-attachment-actions">
              <button type="button" onClick={clear}>
                {t('media.remove')}
              </button>
              <button type="button" className="primary" disabled={!media || sending} onClick={() => void send()}>
                {media ? t(`media.send.${media.kind}`) : t('media.uploadingNow')}
              </button>
            </div>
          </div>
        </section>
      ) : null}
      <InlineError error={error} />
      {children(attachButton)}
    </div>
  );
}
