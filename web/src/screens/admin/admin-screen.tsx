import { Link } from '../../router/link.js';
import { usePathname } from '../../router/router.js';
import { useSession } from '../../session/session-context.js';
import { ApiKeysPanel } from './api-keys-panel.js';
import { SandboxPanel } from './sandbox-panel.js';
import { UsersPanel } from './users-panel.js';
import { ChannelsPanel } from '../channels/channels-panel.js';

/** `/admin/users`, `/admin/api-keys` and, on the sandbox channel, `/admin/sandbox`. */
export function AdminScreen() {
  const { channel } = useSession();
  const pathname = usePathname();
  const tabs = [
    { path: '/admin/users', title: 'Users' },
    { path: '/admin/api-keys', title: 'API keys' },
    { path: '/admin/channels', title: 'Numbers' },
    ...(channel === 'sandbox' ? [{ path: '/admin/sandbox', title: 'Sandbox' }] : []),
  ];
  const current = tabs.find((tab) => tab.path === pathname)?.path ?? '/admin/users';
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>Admin</h1>
      </header>
      <nav aria-label="Admin sections" className="subnav">
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
    </div>
  );
}
