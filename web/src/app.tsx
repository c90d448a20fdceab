import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from './api/api-error.js';
import { getSettings } from './api/admin.js';
import { currentUser, logout } from './api/auth.js';
import { onUnauthorized } from './api/client.js';
import type { Settings, User } from './api/types.js';
import { eventStream } from './events/event-stream.js';
import { awaitInEffect } from './lib/await-in-effect.js';
import { navigate } from './router/router.js';
import { SignInScreen } from './screens/sign-in/sign-in-screen.js';
import { SessionContext } from './session/session-context.js';
import { probablySignedIn, rememberSignedIn } from './session/session-hint.js';
import type { Session } from './session/session-context.js';
import { Shell } from './shell/shell.js';
import { Loading } from './ui/loading.js';

/** The channel from `/auth/me`, or from `/settings` where the server keeps it there. */
async function loadChannel(): Promise<Settings['channel'] | null> {
  const me = await currentUser();
  if (me?.channel) return me.channel;
  return (await getSettings()).channel;
}

type AuthState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed-out'; readonly expired: boolean }
  | { readonly kind: 'signed-in'; readonly user: User }
  | { readonly kind: 'unreachable'; readonly message: string };

/** Decides between sign in and the signed-in shell, and owns the live event stream's lifetime. */
export function App() {
  const { t } = useTranslation();
  const [auth, setAuth] = useState<AuthState>({ kind: 'checking' });
  const [channel, setChannel] = useState<Settings['channel'] | null>(null);

  useEffect(() => {
    if (!probablySignedIn()) {
      setAuth({ kind: 'signed-out', expired: false });
      return;
    }
    currentUser().then(
      (me) => {
        rememberSignedIn(me !== null);
        if (me?.channel) setChannel(me.channel);
        setAuth(me ? { kind: 'signed-in', user: me.user } : { kind: 'signed-out', expired: false });
      },
      (error: unknown) => setAuth({ kind: 'unreachable', message: errorMessage(error) }),
    );
  }, []);

  useEffect(
    () =>
      onUnauthorized(() => {
        rememberSignedIn(false);
        setAuth({ kind: 'signed-out', expired: true });
      }),
    [],
  );

  const signedIn = auth.kind === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    eventStream.start();
    return () => eventStream.stop();
  }, [signedIn]);

  const channelUnknown = signedIn && channel === null;
  useEffect(() => {
    if (!channelUnknown) return;
    // Without a known channel the app simply hides the sandbox tools.
    return awaitInEffect(loadChannel(), setChannel, () => undefined);
  }, [channelUnknown]);

  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      rememberSignedIn(false);
      setAuth({ kind: 'signed-out', expired: false });
      navigate('/', { replace: true });
    }
  }, []);

  const session = useMemo<Session | null>(
    () => (auth.kind === 'signed-in' ? { user: auth.user, channel, signOut } : null),
    [auth, channel, signOut],
  );

  if (auth.kind === 'checking') return <Loading label={t('app.starting')} />;
  if (auth.kind === 'unreachable') {
    return (
      <main className="centered">
        <h1>{t('app.unreachable')}</h1>
        <p role="alert">{auth.message}</p>
        <button type="button" onClick={() => window.location.reload()}>
          {t('app.tryAgain')}
        </button>
      </main>
    );
  }
  if (!session) {
    return (
      <SignInScreen
        expired={auth.kind === 'signed-out' && auth.expired}
        onSignedIn={(user) => {
          rememberSignedIn(true);
          setAuth({ kind: 'signed-in', user });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
