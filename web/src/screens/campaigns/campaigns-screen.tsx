import { matchPath, usePathname } from '../../router/router.js';
import { CampaignDetail } from './campaign-detail.js';
import { CampaignForm } from './campaign-form.js';
import { CampaignList } from './campaign-list.js';

/** `/campaigns`, `/campaigns/new` and `/campaigns/:id`. */
export function CampaignsScreen() {
  const pathname = usePathname();
  if (matchPath('/campaigns/new', pathname)) return <CampaignForm />;
  const detail = matchPath('/campaigns/:id', pathname);
  if (detail?.id) return <CampaignDetail key={detail.id} id={detail.id} />;
  return <CampaignList />;
}
