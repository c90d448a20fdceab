/** An image or sticker at full size, in a modal, with its caption and a download link. */
import { useTranslation } from 'react-i18next';
import type { MediaRef } from '../../../api/types.js';
import { Dialog } from '../../../ui/dialog.js';

interface MediaViewerProps {
  readonly media: MediaRef;
  readonly caption: string | undefined;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function MediaViewer({ media, caption, open, onClose }: MediaViewerProps) {
  const { t } = useTranslation();
  return (
    <Dialog title={caption ?? (media.kind === 'sticker' ? t('media.sticker') : t('media.image'))} open={open} onClose={onClose}>
      <figure className="media-viewer">
        <img src={media.url} alt={caption ?? t('media.image')} />
        <figcaption>
          <a href={media.url} download={media.filename ?? true}>
            {t('media.download')}
          </a>
        </figcaption>
      </figure>
    </Dialog>
  );
}
