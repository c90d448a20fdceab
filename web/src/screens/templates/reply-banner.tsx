import type { Message } from '../../api/types.js';

/** Above the composer while a reply quotes a message: what it quotes, and a way out. */
export function ReplyBanner({ message, onCancel }: { readonly message: Message; readonly onCancel: () => void }) {
  const text = message.content ?? `(${message.type} message)`;
  return (
    <div className="reply-banner" role="status">
      <span>
        Replying to: <q>{text.length > 100 ? `${text.slice(0, 99)}…` : text}</q>
      </span>
      <button type="button" className="link-button" onClick={onCancel}>
        Cancel reply
      </button>
    </div>
  );
}
