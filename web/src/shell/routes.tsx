import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';

/** Each screen is its own chunk, so the first load carries only the shell and the screen shown. */
const InboxScreen = lazy(() => import('../screens/inbox/inbox-screen.js').then((m) => ({ default: m.InboxScreen })));
const ContactsScreen = lazy(() => import('../screens/contacts/contacts-screen.js').then((m) => ({ default: m.ContactsScreen })));
const CampaignsScreen = lazy(() =>
  import('../screens/campaigns/campaigns-screen.js').then((m) => ({ default: m.CampaignsScreen })),
);
const DashboardScreen = lazy(() =>
  import('../screens/dashboard/dashboard-screen.js').then((m) => ({ default: m.DashboardScreen })),
);
const TemplatesScreen = lazy(() =>
  import('../screens/templates/templates-screen.js').then((m) => ({ default: m.TemplatesScreen })),
);
const AdminScreen = lazy(() => import('../screens/admin/admin-screen.js').then((m) => ({ default: m.AdminScreen })));

export interface RouteDef {
  /** First path segment that selects the screen; the screen reads the rest itself. */
  readonly section: string;
  readonly title: string;
  readonly component: LazyExoticComponent<ComponentType>;
  readonly adminOnly?: boolean;
}

export const ROUTES: readonly RouteDef[] = [
  { section: 'inbox', title: 'Inbox', component: InboxScreen },
  { section: 'contacts', title: 'Contacts', component: ContactsScreen },
  { section: 'campaigns', title: 'Campaigns', component: CampaignsScreen },
  { section: 'dashboard', title: 'Dashboard', component: DashboardScreen },
  { section: 'templates', title: 'Templates', component: TemplatesScreen },
  { section: 'admin', title: 'Admin', component: AdminScreen, adminOnly: true },
];
