import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStreamState } from '../events/use-event.js';
import { LanguageSwitcher } from '../i18n/language-switcher.js';
import { Link } from '../router/link.js';
import { navigate, usePathname } from '../router/router.js';
import { useSession } from '../session/session-context.js';
import { Loading } from '../ui/loading.js';
import { ROUTES } from './routes.js';
import { SenderBanner } from './sender-banner.js';

/** The signed-in frame: skip link, navigation, live-connection state and the current screen. */
export function Shell() {
  const { user, signOut } = useSession();
  const { t } = useTranslation();
  // Screens added without texts of their own keep their English title.
  const navTitles: Readonly<Record<string, string>> = t('shell.nav', { returnObjects: true });
  const titleOf = (candidate: (typeof ROUTES)[number]) => navTitles[candidate.section] ?? candidate.title;
  const pathname = usePathname();
  const streamState = useStreamState();
  const routes = ROUTES.filter((route) => !route.adminOnly || user.role === 'admin');
  const section = pathname.split('/')[1] ?? '';
  const route = routes.find((candidate) => candidate.section === section);

  useEffect(() => {
    if (!route) navigate('/inbox', { replace: true });
  }, [route]);

  useEffect(() => {
    document.title = route ? `${navTitles[route.section] ?? route.title} · FlowChat` : 'FlowChat';
  }, [route, navTitles]);

  const Screen = route?.component;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          FlowChat
        </span>
        <nav aria-label={t('shell.mainNavigation')}>
          <ul className="nav-list">
            {routes.map((candidate) => (
              <li key={candidate.section}>
                <Link to={`/${candidate.section}`} nav>
                  {titleOf(candidate)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <span
            className={`live-dot live-${streamState}`}
            role="status"
            aria-label={t('shell.liveUpdates', { state: t(`shell.streamStates.${streamState}`) })}
            title={t('shell.liveUpdates', { state: t(`shell.streamStates.${streamState}`) })}
          />
          <LanguageSwitcher />
          <span className="user-name">{user.name || user.email}</span>
          <button type="button" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <SenderBanner />
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{Screen ? <Screen /> : null}</Suspense>
      </main>
    </div>
  );
}
