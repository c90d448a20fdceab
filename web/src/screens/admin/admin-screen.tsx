import { useTranslation } from 'react-i18next';
import { Link } from '../../router/link.js';
import { usePathname } from '../../router/router.js';
import { useSession } from '../../session/session-context.js';
import { Screen } from '../../ui/screen.js';
import { ApiKeysPanel } from './api-keys-panel.js';
import { SandboxPanel } from './sandbox-panel.js';
import { UsersPanel } from './users-panel.js';
import { ChannelsPanel } from '../channels/channels-panel.js';

/** `/admin/users`, `/admin/api-keys` and, on the sandbox channel, `/admin/sandbox`. */
export function AdminScreen() {
  const { channel } = useSession();
  const { t } = useTranslation();
  const pathname = usePathname();
  const tabs = [
    { path: '/admin/users', title: t('admin.tabs.users') },
    { path: '/admin/api-keys', title: t('admin.tabs.apiKeys') },
    { path: '/admin/channels', title: t('admin.tabs.numbers') },
    ...(channel === 'sandbox' ? [{ path: '/admin/sandbox', title: t('admin.tabs.sandbox') }] : []),
  ];
  const current = tabs.find((tab) => tab.path === pathname)?.path ?? '/admin/users';
  return (
    <Screen title={t('admin.title')}>
      <nav aria-label={t('admin.sections')} className="subnav">
        {tabs.map((tab) => (
          <Link key={tab.path} to={tab.path} aria-current={tab.path === current ? 'page' : undefined}>
            {tab.title}
          </Link>
        ))}
      </nav>
      {current === '/admin/api-keys' ? (
        <ApiKeysPanel />
      ) : current === '/admin/sandbox' ? (
        <SandboxPanel />
      ) : current === '/admin/channels' ? (
        <ChannelsPanel />
      ) : (
        <UsersPanel />
      )}
    </Screen>
  );
}
