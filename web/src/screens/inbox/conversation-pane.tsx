import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { markRead } from '../../api/conversations.js';
import { sendMessage } from '../../api/messages.js';
import { reactToMessage, sendInteractive } from '../../api/templates.js';
import type { Contact, Conversation, InteractiveBody, Message, TemplateRef } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { windowExpiry } from '../../lib/contact-window.js';
import { contactLabel } from '../../lib/format.js';
import { randomId } from '../../lib/random-id.js';
import { useNow } from '../../lib/use-now.js';
import { Composer } from './composer.js';
import { addNote } from '../automations/api.js';
import { MediaAttachments } from './media/media-attachments.js';
import { ContactPanel } from './contact-panel.js';
import { QuickRepliesDialog } from './quick-replies-dialog.js';
import { InteractiveComposer } from '../templates/interactive-composer.js';
import { ReplyBanner } from '../templates/reply-banner.js';
import { TemplatePicker } from '../templates/template-picker.js';
import { InlineError } from '../../ui/inline-error.js';
import { ThreadView } from './thread-view.js';
import type { QuickRepliesState } from './use-quick-replies.js';
import { useThread } from './use-thread.js';

interface ConversationPaneProps {
  readonly conversation: Conversation;
  readonly quickReplies: QuickRepliesState;
  readonly onConversation: (conversation: Conversation) => void;
  readonly onSeen: (contactId: string) => void;
}

/** One open conversation: the thread, the composer that fits the window, and the contact panel. */
export function ConversationPane({ conversation, quickReplies, onConversation, onSeen }: ConversationPaneProps) {
  const contact = conversation.contact;
  const thread = useThread(contact.id);
  const { t } = useTranslation();
  const now = useNow();
  const [templateMode, setTemplateMode] = useState(false);
  const [interactiveMode, setInteractiveMode] = useState(false);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [reactionError, setReactionError] = useState<unknown>(null);
  const [quickRepliesOpen, setQuickRepliesOpen] = useState(false);
  const windowOpen = windowExpiry(contact, now) !== null;
  // Replies go out on the conversation's channel, so the picker offers that channel's templates.
  const channelId = conversation.channel_id ?? contact.channel_id;
  const readTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const conversationRef = useRef(conversation);
  conversationRef.current = conversation;

  // Opening the thread marks its inbound messages read (the customer sees blue ticks), and so
  // does each new inbound message while the agent is looking at it.
  const read = useCallback(() => {
    if (readTimer.current) return;
    readTimer.current = setTimeout(() => {
      readTimer.current = null;
      if (document.visibilityState !== 'visible') return;
      onSeen(contact.id);
      markRead(contact.id).catch(() => undefined);
    }, 300);
  }, [contact.id, onSeen]);

  useEffect(() => {
    setTemplateMode(false);
    setInteractiveMode(false);
    setReplyTo(null);
    read();
    return () => {
      if (readTimer.current) clearTimeout(readTimer.current);
      readTimer.current = null;
    };
  }, [contact.id, read]);

  // The virtualised log adds and removes rows while scrolling, so it cannot be a live region
  // itself; new customer messages are announced here instead.
  const [announcement, setAnnouncement] = useState('');
  useEvent('message.created', (message) => {
    if (message.contact_id !== contact.id || message.direction !== 'inbound') return;
    read();
    setAnnouncement(`${contactLabel(contact)}: ${message.content ?? message.type}`);
  });

  const setContact = useCallback(
    (updated: Contact) => onConversation({ ...conversationRef.current, contact: updated }),
    [onConversation],
  );

  const quoting = replyTo ? { reply_to: replyTo.id } : {};

  const sendText = async (content: string) => {
    thread.add(await sendMessage(contact.id, { type: 'text', content, ...quoting }, randomId()));
    setReplyTo(null);
  };

  const addPrivateNote = async (content: string) => {
    thread.add(await addNote(contact.id, content));
  };

  const sendTemplate = async (template: TemplateRef) => {
    thread.add(await sendMessage(contact.id, { type: 'template', template, ...quoting }, randomId()));
    setTemplateMode(false);
    setReplyTo(null);
  };

  const sendButtons = async (interactive: InteractiveBody) => {
    thread.add(await sendInteractive(contact.id, interactive, randomId(), replyTo?.id));
    setInteractiveMode(false);
    setReplyTo(null);
  };

  const actions = useMemo(
    () => ({
      onReply: (message: Message) => {
        setReplyTo(message);
        document.getElementById('composer-text')?.focus();
      },
      onReact: (message: Message, emoji: string) => {
        setReactionError(null);
        reactToMessage(message.id, emoji).then(thread.add, setReactionError);
      },
    }),
    [thread.add],
  );

  const composer = contact.opted_out ? (
    <p className="composer-notice" role="status">
      {t('inbox.thread.optedOut', { name: contactLabel(contact) })}
    </p>
  ) : !windowOpen ? (
    <div className="composer-closed">
      <p className="composer-notice" role="status">
        {t('inbox.thread.windowClosed', { name: contactLabel(contact) })}
      </p>
      <TemplatePicker onSend={sendTemplate} channelId={channelId} />
    </div>
  ) : templateMode ? (
    <TemplatePicker onSend={sendTemplate} onCancel={() => setTemplateMode(false)} channelId={channelId} />
  ) : interactiveMode ? (
    <InteractiveComposer onSend={sendButtons} onCancel={() => setInteractiveMode(false)} />
  ) : (
    <MediaAttachments contactId={contact.id} onSent={thread.add} onWindowClosed={() => setTemplateMode(true)}>
      {(attachButton) => (
        <Composer
          quickReplies={quickReplies.items}
          onSend={sendText}
          onNote={addPrivateNote}
          onWindowClosed={() => setTemplateMode(true)}
          onUseTemplate={() => setTemplateMode(true)}
          onManageQuickReplies={() => setQuickRepliesOpen(true)}
          onUseInteractive={() => setInteractiveMode(true)}
          extraActions={attachButton}
        />
      )}
    </MediaAttachments>
  );

  return (
    <>
      <section className="thread" aria-labelledby="thread-title">
        <header className="thread-header">
          <h1 id="thread-title">{contactLabel(contact)}</h1>
          <span className="thread-sub">{contact.phone}</span>
        </header>
        <ThreadView label={t('inbox.thread.messagesWith', { name: contactLabel(contact) })} thread={thread} actions={actions} />
        <InlineError error={reactionError} />
        {replyTo && !contact.opted_out ? <ReplyBanner message={replyTo} onCancel={() => setReplyTo(null)} /> : null}
        <p className="visually-hidden" aria-live="polite">
          {announcement}
        </p>
        {composer}
      </section>
      <ContactPanel conversation={conversation} onContact={setContact} onConversation={onConversation} />
      <QuickRepliesDialog open={quickRepliesOpen} onClose={() => setQuickRepliesOpen(false)} replies={quickReplies} />
    </>
  );
}
