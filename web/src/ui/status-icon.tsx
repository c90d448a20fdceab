import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../api/types.js';

const GLYPHS: Readonly<Record<string, string>> = {
  pending: '🕓',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!',
  canceled: '⊘',
};

/**
 * An outbound message's delivery state. Its accessible name is the bare status ("read"), and a
 * failed message is focusable so keyboard users can reach the failure reason in its tooltip.
 */
export function StatusIcon({ message }: { readonly message: Message }) {
  const tooltipId = useId();
  const { t } = useTranslation();
  const status = message.status;
  const failed = status === 'failed';
  const reason = failed ? (message.error?.message ?? t('status.notDelivered')) : undefined;
  const label = t(`status.${status}`);
  return (
    <span className="status-icon-wrap">
      <span
        role="img"
        aria-label={label}
        aria-describedby={failed ? tooltipId : undefined}
        tabIndex={failed ? 0 : undefined}
        title={failed ? undefined : label}
        className={`status-icon status-${status}`}
      >
        <span aria-hidden="true">{GLYPHS[status] ?? '?'}</span>
      </span>
      {failed ? (
        <span role="tooltip" id={tooltipId} className="tooltip">
          {reason}
          {message.error?.code !== undefined ? t('status.code', { code: message.error.code }) : ''}
        </span>
      ) : null}
    </span>
  );
}
