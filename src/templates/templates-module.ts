/**
 * The template catalogue assembled from configuration, and its sync worker: at start (soon after),
 * then every 15 minutes. With neither a WABA id nor the sandbox there is nothing to sync.
 */
import type { Config } from '../config/env.js';
import type { Worker } from '../worker.js';
import type { Executor } from '../db/transaction.js';
import type { Logger } from '../shared/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import type { HeaderMediaStore } from './header-media.js';
import { MetaTemplateClient } from './meta-template-client.js';
import { TemplateCatalogue } from './template-catalogue.js';

export const TEMPLATE_SYNC_EVERY_MS = 15 * 60_000;

export interface Templates {
  readonly catalogue: TemplateCatalogue;
  readonly workers: readonly Worker[];
}

export function createTemplates(config: Config, logger: Logger, db: Executor, headerMedia: HeaderMediaStore): Templates {
  const businessAccountId = config.whatsappBusinessAccountId;
  const client =
    businessAccountId && config.whatsapp
      ? new MetaTemplateClient({ apiUrl: config.whatsappApiUrl, accessToken: config.whatsapp.accessToken, timeoutMs: config.whatsappRequestTimeoutMs })
      : undefined;
  const catalogue = new TemplateCatalogue(db, logger, { businessAccountId, sandbox: config.whatsapp === undefined, client, headerMedia });
  const workers = catalogue.businessAccountId ? [new PeriodicTask('template-sync', TEMPLATE_SYNC_EVERY_MS, async () => void (await catalogue.sync()), logger)] : [];
  return { catalogue, workers };
}
