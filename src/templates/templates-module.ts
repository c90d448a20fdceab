/**
 * The template catalogue assembled from configuration and the channel directory, and its sync
 * worker: at start (soon after), then every 15 minutes, for every WABA a live channel names (the
 * environment channel's is WHATSAPP_BUSINESS_ACCOUNT_ID) and the sandbox's demo templates, and at
 * once when a channel starts naming a WABA not read yet. While no channel has a catalogue, a round
 * does nothing.
 */
import type { ChannelDirectory } from '../channels/channel-directory.js';
import type { Config } from '../config/env.js';
import type { Worker } from '../worker.js';
import type { Executor } from '../db/transaction.js';
import type { Logger } from '../shared/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { CatalogueAccounts } from './catalogue-accounts.js';
import type { HeaderMediaStore } from './header-media.js';
import { MetaTemplateClient } from './meta-template-client.js';
import { TemplateCatalogue } from './template-catalogue.js';

export const TEMPLATE_SYNC_EVERY_MS = 15 * 60_000;

export interface Templates {
  readonly catalogue: TemplateCatalogue;
  readonly workers: readonly Worker[];
}

export function createTemplates(config: Config, logger: Logger, db: Executor, channels: ChannelDirectory, headerMedia: HeaderMediaStore): Templates {
  const accounts = new CatalogueAccounts(channels, config.whatsappBusinessAccountId);
  const catalogue = new TemplateCatalogue(db, logger, {
    accounts,
    client: new MetaTemplateClient({ apiUrl: config.whatsappApiUrl, timeoutMs: config.whatsappRequestTimeoutMs }),
    headerMedia,
  });
  const sync = new PeriodicTask('template-sync', TEMPLATE_SYNC_EVERY_MS, async () => void (catalogue.configured && (await catalogue.sync())), logger);
  // Without this, template sends on a channel just added with its own WABA would be refused until the next round.
  const named = () => new Set(accounts.sources().map((source) => source.account));
  let known = named();
  channels.onChange(() => {
    const now = named();
    if ([...now].some((account) => !known.has(account))) sync.runNow();
    known = now;
  });
  return { catalogue, workers: [sync] };
}
