import { useTranslation } from 'react-i18next';
import type { Message } from '../../api/types.js';

/** Above the composer while a reply quotes a message: what it quotes, and a way out. */
export function ReplyBanner({ message, onCancel }: { readonly message: Message; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const text = message.content ?? t('inbox.bubble.typed', { type: message.type });
  return (
    <div className="reply-banner" role="status">
      <span>
        {t('templates.extras.replyingTo')} <q>{text.length > 100 ? `${text.slice(0, 99)}…` : text}</q>
      </span>
      <button type="button" className="link-button" onClick={onCancel}>
        {t('templates.extras.cancelReply')}
      </button>
    </div>
  );
}
