/** An image or sticker at full size, in a modal, with its caption and a download link. */
import type { MediaRef } from '../../../api/types.js';
import { Dialog } from '../../../ui/dialog.js';

interface MediaViewerProps {
  readonly media: MediaRef;
  readonly caption: string | undefined;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function MediaViewer({ media, caption, open, onClose }: MediaViewerProps) {
  return (
    <Dialog title={caption ?? (media.kind === 'sticker' ? 'Sticker' : 'Image')} open={open} onClose={onClose}>
      <figure className="media-viewer">
        <img src={media.url} alt={caption ?? 'Image'} />
        <figcaption>
          <a href={media.url} download={media.filename ?? true}>
            Download
          </a>
        </figcaption>
      </figure>
    </Dialog>
  );
}
