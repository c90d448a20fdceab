/**
 * What a message carries besides text: an image thumbnail that opens a viewer, players for audio
 * (voice notes) and video, a card for documents; and the location and contact cards customers
 * share. A file still downloading or that could not be fetched says so.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import type { MediaRef, Message } from '../../../api/types.js';
import { formatBytes } from './media-api.js';
import { MediaViewer } from './media-viewer.js';

function FileState({ media }: { readonly media: MediaRef }) {
  const { t } = useTranslation();
  return (
    <p className={`media-state media-state-${media.status}`} role="status">
      {media.status === 'downloading' ? t(`media.fetching.${media.kind}`) : t(`media.notFetched.${media.kind}`)}
    </p>
  );
}

function MediaFile({ media, caption }: { readonly media: MediaRef; readonly caption: string | undefined }) {
  const { t } = useTranslation();
  const [viewing, setViewing] = useState(false);
  if (media.status !== 'ready') return <FileState media={media} />;
  switch (media.kind) {
    case 'image':
    case 'sticker':
      return (
        <>
          <button type="button" className={`media-thumb-button ${media.kind === 'sticker' ? 'media-sticker' : ''}`} onClick={() => setViewing(true)} aria-label={media.kind === 'sticker' ? (caption ? t('media.openStickerCaption', { caption }) : t('media.openSticker')) : caption ? t('media.openImageCaption', { caption }) : t('media.openImage')}>
            <img className="media-thumb" src={media.url} alt={caption ?? (media.kind === 'sticker' ? t('media.sticker') : t('media.image'))} loading="lazy" />
          </button>
          <MediaViewer media={media} caption={caption} open={viewing} onClose={() => setViewing(false)} />
        </>
      );
    case 'audio':
      return (
        <figure className="media-audio">
          <figcaption>{media.voice ? t('media.voiceMessage') : (media.filename ?? t('media.audio'))}</figcaption>
          <audio controls preload="metadata" src={media.url} />
        </figure>
      );
    case 'video':
      return <video className="media-video" controls preload="metadata" src={media.url} aria-label={caption ?? t('media.video')} />;
    case 'document':
      return (
        <a className="media-document" href={media.url} download={media.filename ?? true}>
          <span className="media-document-icon" aria-hidden="true">
            {(media.filename?.split('.').pop() ?? 'file').slice(0, 4).toUpperCase()}
          </span>
          <span className="media-document-name">{media.filename ?? t('media.document')}</span>
          <span className="media-document-meta">
            {t('media.sizeDownload', { size: formatBytes(media.size) })}
          </span>
        </a>
      );
  }
}

interface Location {
  readonly latitude?: number;
  readonly longitude?: number;
  readonly name?: string;
  readonly address?: string;
}

function LocationCard({ location }: { readonly location: Location }) {
  const { t } = useTranslation();
  const { latitude, longitude } = location;
  const coordinates = latitude !== undefined && longitude !== undefined ? `${latitude.toFixed(5)}, ${longitude.toFixed(5)}` : undefined;
  return (
    <div className="media-card media-location">
      <p className="media-card-title">{location.name ?? t('media.sharedLocation')}</p>
      {location.address ? <p>{location.address}</p> : null}
      {coordinates ? (
        <a href={`https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`} target="_blank" rel="noreferrer">
          {t('media.openMap', { coordinates })}
        </a>
      ) : null}
    </div>
  );
}

interface SharedContact {
  readonly name?: { readonly formatted_name?: string };
  readonly phones?: ReadonlyArray<{ readonly phone?: string }>;
}

function ContactCards({ contacts }: { readonly contacts: readonly SharedContact[] }) {
  const { t } = useTranslation();
  return (
    <ul className="media-card media-contacts" aria-label={t('media.sharedContacts')}>
      {contacts.map((card, index) => (
        <li key={index}>
          <span className="media-card-title">{card.name?.formatted_name ?? t('media.contact')}</span>
          {(card.phones ?? []).map((phone) => (phone.phone ? <span key={phone.phone}> {phone.phone}</span> : null))}
        </li>
      ))}
    </ul>
  );
}

/** The caption of a media message, if it has one (the content is otherwise a label like `[Image]`). */
export function mediaCaption(message: Message): string | undefined {
  const inbound = (message.metadata?.['media'] as { caption?: unknown } | undefined)?.caption;
  const outbound = message.metadata?.['caption'];
  const caption = typeof outbound === 'string' ? outbound : typeof inbound === 'string' ? inbound : undefined;
  return caption?.trim() ? caption : undefined;
}

/** Whether the bubble shows something instead of (or besides) the plain text. */
export function hasRichContent(message: Message): boolean {
  return message.media !== undefined || (message.type === 'location' && typeof message.metadata?.['location'] === 'object') || (message.type === 'contacts' && Array.isArray(message.metadata?.['contacts']));
}

export function MessageMedia({ message }: { readonly message: Message }) {
  if (message.media) return <MediaFile media={message.media} caption={mediaCaption(message)} />;
  if (message.type === 'location') return <LocationCard location={(message.metadata?.['location'] ?? {}) as Location} />;
  if (message.type === 'contacts') return <ContactCards contacts={(message.metadata?.['contacts'] ?? []) as SharedContact[]} />;
  return null;
}
