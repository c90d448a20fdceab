import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { Message } from '../../api/types.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import type { MessageActions } from '../templates/message-extras.js';
import { MessageBubble } from './message-bubble.js';
import type { ThreadState } from './use-thread.js';

const NEAR_TOP_PX = 300;
const NEAR_BOTTOM_PX = 120;

interface ThreadViewProps {
  readonly label: string;
  readonly thread: ThreadState;
  /** Reply and react from a message. */
  readonly actions?: MessageActions;
}

/**
 * The message history, virtualised so that a 5,000-message thread keeps only what is on screen
 * in the DOM. Scrolling near the top loads the previous page; the view keeps its place when
 * older messages are prepended and follows new ones while the reader is at the bottom.
 */
export function ThreadView({ label, thread, actions }: ThreadViewProps) {
  const { messages, hasOlder, loadOlder, loadingOlder, loading, error } = thread;
  const byId = useMemo(() => new Map(messages.map((message) => [message.id, message])), [messages]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const atBottom = useRef(true);
  const firstId = useRef<string | null>(null);
  const lastId = useRef<string | null>(null);
  const anchorBeforePrepend = useRef<{ readonly firstId: string; readonly top: number; readonly canvasTop: number } | null>(null);
  const canvasRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 72,
    getItemKey: (index) => (messages[index] as Message).id,
    overscan: 8,
  });

  const scrollToEnd = useCallback(() => {
    if (messages.length === 0) return;
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages.length, virtualizer]);

  const requestOlder = useCallback(() => {
    const element = scrollRef.current;
    if (!element || !hasOlder || loadingOlder) return;
    const first = messages[0];
    if (!first) return;
    anchorBeforePrepend.current = { firstId: first.id, top: element.scrollTop, canvasTop: canvasRef.current?.offsetTop ?? 0 };
    loadOlder();
  }, [hasOlder, loadingOlder, loadOlder, messages]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    const first = messages[0]?.id ?? null;
    const last = messages[messages.length - 1]?.id ?? null;
    // An older page landed; a live message may have arrived in the same render, so this does not
    // depend on the last message staying put.
    const prepended = anchorBeforePrepend.current !== null && firstId.current !== null && first !== firstId.current;
    const appended = last !== lastId.current;
    const initial = lastId.current === null && last !== null;
    firstId.current = first;
    lastId.current = last;
    if (!element) return;
    if (prepended && anchorBeforePrepend.current) {
      const before = anchorBeforePrepend.current;

      // The old first message now starts after the prepended ones: shift by exactly that, so a
      // message appended below in the same render does not move the reader.
      const oldFirst = messages.findIndex((message) => message.id === before.firstId);
      virtualizer.getTotalSize();
      const shift = oldFirst > 0 ? (virtualizer.measurementsCache[oldFirst]?.start ?? 0) : 0;
      element.scrollTop = before.top + shift + ((canvasRef.current?.offsetTop ?? 0) - before.canvasTop);
      anchorBeforePrepend.current = null;
    } else if (initial || (appended && (atBottom.current || messages[messages.length - 1]?.direction === 'outbound'))) {
      scrollToEnd();
    }
  }, [messages, scrollToEnd, virtualizer]);

  // A first page shorter than the pane leaves nothing to scroll, so fetch more until it fills; and
  // a reader still at the top when a page lands (no scroll event follows) gets the next one.
  const wasLoadingOlder = useRef(false);
  useEffect(() => {
    const element = scrollRef.current;
    const justLoaded = wasLoadingOlder.current && !loadingOlder;
    wasLoadingOlder.current = loadingOlder;
    if (!element || loading || loadingOlder || !hasOlder) return;
    if (element.scrollHeight <= element.clientHeight + NEAR_TOP_PX || (justLoaded && element.scrollTop < NEAR_TOP_PX))
      requestOlder();
  }, [loading, loadingOlder, hasOlder, messages.length, requestOlder]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    if (element.scrollTop < NEAR_TOP_PX) requestOlder();
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="thread-pane">
      {loadingOlder ? (
        <div className="thread-overlay">
          <Loading label={t('inbox.thread.loadingEarlier')} />
        </div>
      ) : null}
      <div
        className="thread-scroll"
        ref={scrollRef}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-live="off"
        aria-label={label}
        aria-busy={loading || loadingOlder}
      >
        {!hasOlder && !loading && messages.length > 0 ? <p className="thread-start">{t('inbox.thread.start')}</p> : null}
        <InlineError error={error} />
        {loading ? <Loading label={t('inbox.thread.loading')} /> : null}
        {!loading && messages.length === 0 && !error ? <p className="empty">{t('inbox.thread.empty')}</p> : null}
        <div className="thread-canvas" ref={canvasRef} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const message = messages[item.index] as Message;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="thread-item"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <MessageBubble message={message} quoted={message.reply_to ? byId.get(message.reply_to) : undefined} actions={actions} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
