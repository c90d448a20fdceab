import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateContact } from '../../api/contacts.js';
import type { ContactInput } from '../../api/contacts.js';
import type { Contact, Conversation } from '../../api/types.js';
import { windowExpiry } from '../../lib/contact-window.js';
import { contactLabel, formatDuration } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { InlineError } from '../../ui/inline-error.js';
import { TagEditor } from '../../ui/tag-editor.js';
import { ConversationControls } from './conversation-controls.js';
import { MetadataEditor } from './metadata-editor.js';

interface ContactPanelProps {
  readonly conversation: Conversation;
  readonly onContact: (contact: Contact) => void;
  readonly onConversation: (conversation: Conversation) => void;
}

/** Who the customer is: name, phone, tags, details, opt-out, the window, and the conversation's owner. */
export function ContactPanel({ conversation, onContact, onConversation }: ContactPanelProps) {
  const contact = conversation.contact;
  const now = useNow();
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const expiry = windowExpiry(contact, now);

  const patch = async (input: ContactInput) => {
    setError(null);
    try {
      onContact(await updateContact(contact.id, input));
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <aside className="contact-panel" aria-label={t('inbox.contact.label')}>
      <h2>{contactLabel(contact)}</h2>
      <p className="contact-phone">{contact.phone}</p>
      {contact.email ? <p className="contact-email">{contact.email}</p> : null}
      <p className={expiry ? 'window window-open' : 'window window-closed'}>
        {expiry ? t('inbox.contact.windowOpen', { duration: formatDuration((expiry.getTime() - now) / 1000) }) : t('inbox.contact.windowClosed')}
      </p>
      <ConversationControls conversation={conversation} onChange={onConversation} />
      <section className="panel-section">
        <TagEditor label={t('inbox.contact.tags')} tags={contact.tags} onChange={(tags) => void patch({ tags })} />
      </section>
      <section className="panel-section">
        <MetadataEditor metadata={contact.metadata} onPatch={(metadata) => patch({ metadata })} />
      </section>
      <section className="panel-section" aria-label={t('inbox.contact.optOut')}>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={contact.opted_out}
            onChange={(event) => void patch({ opted_out: event.target.checked })}
          />
          {t('inbox.contact.optedOut')}
        </label>
      </section>
      <InlineError error={error} />
    </aside>
  );
}
