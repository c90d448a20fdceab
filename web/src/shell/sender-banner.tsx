import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getSettings, resumeSender } from '../api/admin.js';
import type { Settings } from '../api/types.js';
import { useSession } from '../session/session-context.js';
import { InlineError } from '../ui/inline-error.js';

const CHECK_EVERY_MS = 60_000;

/**
 * Warns everyone when FlowChat has stopped sending (Meta rejected the access token, error 190):
 * messages wait as pending until an admin fixes the token and resumes.
 */
export function SenderBanner() {
  const { user } = useSession();
  const { t } = useTranslation();
  const [sender, setSender] = useState<Settings['sender'] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const check = useCallback(() => {
    getSettings().then(
      (settings) => setSender(settings.sender ?? null),
      // A failed check leaves the last known state; the next one tries again.
      () => undefined,
    );
  }, []);

  useEffect(() => {
    check();
    const timer = setInterval(check, CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [check]);

  if (sender?.state !== 'paused') return null;
  const resume = async () => {
    try {
      const state = await resumeSender();
      setSender(state);
      setError(null);
    } catch (reason) {
      setError(reason);
    }
  };
  return (
    <div className="sender-banner" role="alert">
      <p>
        {sender.code ? t('shell.senderPausedCode', { code: sender.code }) : t('shell.senderPaused')}:{' '}
        {sender.reason ?? t('shell.senderTokenRefused')}. {t('shell.senderWaiting')}
      </p>
      {user.role === 'admin' ? (
        <button type="button" onClick={() => void resume()}>
          {t('shell.resumeSending')}
        </button>
      ) : null}
      <InlineError error={error} />
    </div>
  );
}
