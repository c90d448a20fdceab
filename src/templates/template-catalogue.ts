/**
 * The template catalogues: Meta's templates of each WABA the live channels send from, synced at
 * start, every 15 minutes and on demand (one WABA failing does not stop the others), changed at
 * once by status webhooks; the sandbox channel keeps its demo templates instead. A template send
 * (single, bulk, campaign) is checked against the catalogue of the channel it goes out on before
 * anything is stored (src/templates/catalogue-accounts.ts says which); the body is rendered with
 * the values as the message's `content`.
 */
import type { JsonObject, JsonValue, MessageTemplate } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { CatalogueAccounts, CatalogueSource } from './catalogue-accounts.js';
import type { HeaderMediaStore } from './header-media.js';
import { TemplateFetchError, type MetaTemplateClient } from './meta-template-client.js';
import { sandboxTemplates } from './sandbox-templates.js';
import { pauseCampaignsUsingTemplate, stoppingStatuses } from './template-campaign-pause.js';
import { checkValues, headerMediaIds, renderBody, type ParameterProblem, type TemplateParameter } from './template-parameters.js';
import { templateEventData } from './template.presenter.js';
import { TemplateRepository, type TemplateFilter, type TemplateRow } from './template.repository.js';

export interface TemplateSend {
  readonly name: string;
  readonly language: string;
  readonly components?: readonly Readonly<Record<string, unknown>>[];
}

/** A template send and the channel it goes out on. */
export interface ChannelTemplateSend {
  readonly channelId: string;
  readonly template: TemplateSend;
}

export interface SyncResult {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
}

export interface TemplateCatalogueOptions {
  /** Which catalogue each channel sends from, and which there are to sync. */
  readonly accounts: CatalogueAccounts;
  readonly client: MetaTemplateClient;
  readonly headerMedia: HeaderMediaStore;
}

/** A `message_template_status_update` webhook's `value`, with the WABA it came for. */
export interface TemplateStatusUpdate {
  readonly businessAccountId: string;
  readonly value: JsonObject;
}

function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

const keyOf = (account: string, name: string, language: string): string => `${account}\u0000${name}\u0000${language}`;

export class TemplateCatalogue {
  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    private readonly options: TemplateCatalogueOptions,
  ) {}

  /** Whether any live channel has a catalogue to sync. */
  get configured(): boolean {
    return this.options.accounts.sources().length > 0;
  }

  /**
   * The templates of every catalogue the live channels send from, or with `channelId` only those
   * of the catalogue that channel sends from (404 `channel_not_found` for an unknown channel).
   */
  async list(filter: TemplateFilter, channelId?: string): Promise<MessageTemplate[]> {
    const repository = new TemplateRepository(this.db);
    if (channelId === undefined) return repository.list(this.options.accounts.sources().map((source) => source.account), filter);
    const account = this.options.accounts.of(channelId);
    return account ? repository.list([account.id], filter) : [];
  }

  /**
   * Fetches every catalogue (each WABA once, every page, with a token of one of its channels) and
   * stores it; templates a WABA no longer lists become `DELETED` in that WABA only. A WABA whose
   * fetch fails is skipped and named in the `TemplateFetchError` thrown after the others are stored.
   */
  async sync(): Promise<SyncResult> {
    const sources = this.options.accounts.sources();
    if (sources.length === 0) throw new AppError('templates_not_configured');
    const total = { added: 0, updated: 0, removed: 0 };
    const failures: string[] = [];
    for (const source of sources) {
      let rows: TemplateRow[];
      try {
        rows = await this.fetch(source);
      } catch (error) {
        if (!(error instanceof TemplateFetchError)) throw error;
        this.logger.warn({ businessAccountId: source.account, err: error.message }, 'template catalogue of a WABA could not be synced');
        failures.push(`WABA ${source.account}: ${error.message}`);
        continue;
      }
      const result = await this.store(source.account, rows);
      total.added += result.added;
      total.updated += result.updated;
      total.removed += result.removed;
    }
    if (total.added + total.updated + total.removed > 0) this.logger.info(total, 'template catalogue synced');
    if (failures.length > 0) throw new TemplateFetchError(failures.join('; '));
    return total;
  }

  /**
   * Applies a status webhook at once to the template of the WABA it came for: the template's
   * status (and rejection reason) changes, a `template.updated` event goes out, and campaigns
   * sending a paused or disabled template from that WABA pause.
   */
  async applyStatusUpdate(db: Executor, update: TemplateStatusUpdate): Promise<void> {
    const event = stringOf(update.value['event'])?.toUpperCase();
    // FLAGGED warns of a coming pause but the template still sends; REINSTATED approves it again.
    const status = event === 'REINSTATED' ? 'APPROVED' : event;
    if (!status || status === 'FLAGGED') return;
    const name = stringOf(update.value['message_template_name']);
    const language = stringOf(update.value['message_template_language']);
    const changed = await new TemplateRepository(db).updateStatus(update.businessAccountId, {
      metaId: stringOf(update.value['message_template_id']),
      name,
      language,
      status,
      reason: stringOf(update.value['reason']),
    });
    if (changed) await recordEvent(db, 'template.updated', templateEventData(changed));
    const template = changed ?? { name, language };
    if (stoppingStatuses.includes(status) && template.name && template.language) {
      await pauseCampaignsUsingTemplate(db, { name: template.name, language: template.language }, this.options.accounts.channelsOf(update.businessAccountId));
    }
  }

  /**
   * Checks template sends against the catalogue of the channel each goes out on (where it has an
   * enforced one) and returns each one's rendered body, or null where the template is not in that
   * catalogue. Throws 422 `template_not_found`, `template_not_approved` or `template_parameters`
   * (details naming each value) for the first send that fails.
   */
  async prepare(db: Executor, sends: readonly ChannelTemplateSend[]): Promise<Array<string | null>> {
    if (sends.length === 0) return [];
    const accounts = sends.map((send) => this.options.accounts.of(send.channelId));
    const keys = new Map<string, { account: string; name: string; language: string }>();
    sends.forEach(({ template }, position) => {
      const account = accounts[position]?.id;
      if (account) keys.set(keyOf(account, template.name, template.language), { account, name: template.name, language: template.language });
    });
    const found = new Map((await new TemplateRepository(db).find([...keys.values()])).map((row) => [keyOf(row.business_account_id, row.name, row.language), row]));
    const contents: Array<string | null> = [];
    for (const [position, { template: send }] of sends.entries()) {
      const account = accounts[position];
      const template = account ? found.get(keyOf(account.id, send.name, send.language)) : undefined;
      const components = (send.components ?? []) as JsonObject[];
      if (!account?.enforced) {
        contents.push(template ? (renderBody(template.components, components) ?? null) : null);
        continue;
      }
      const where = sends.length > 1 ? { item: position } : {};
      if (!template || template.status === 'DELETED') throw new AppError('template_not_found', `No template ${send.name} in ${send.language}`, { ...where, name: send.name, language: send.language });
      if (template.status !== 'APPROVED') throw new AppError('template_not_approved', `Template ${send.name} (${send.language}) is ${template.status}`, { ...where, name: send.name, language: send.language, status: template.status });
      const problems = [...checkValues(template.parameters as unknown as TemplateParameter[], template.components, components), ...(await this.mediaProblems(db, components))];
      if (problems.length > 0) throw parameterError(send, problems, where);
      contents.push(renderBody(template.components, components) ?? null);
    }
    return contents;
  }

  private fetch(source: CatalogueSource): Promise<TemplateRow[]> {
    return source.kind === 'meta' ? this.options.client.fetchAll(source.account, source.accessToken) : Promise.resolve([...sandboxTemplates]);
  }

  /** Stores one WABA's listing in one transaction: upserts, `DELETED` for the rest, events, campaign pauses. */
  private store(account: string, rows: readonly TemplateRow[]): Promise<SyncResult> {
    return transaction(this.db, async (trx) => {
      const repository = new TemplateRepository(trx);
      const written = await repository.upsert(account, rows);
      const removed = await repository.markDeletedExcept(account, rows);
      for (const template of [...written, ...removed]) await recordEvent(trx, 'template.updated', templateEventData(template));
      const stopped = written.filter((row) => stoppingStatuses.includes(row.status));
      const channelIds = stopped.length > 0 ? this.options.accounts.channelsOf(account) : [];
      for (const template of stopped) await pauseCampaignsUsingTemplate(trx, template, channelIds);
      return { added: written.filter((row) => row.inserted).length, updated: written.filter((row) => !row.inserted).length, removed: removed.length };
    });
  }

  /** Header media named by FlowChat id that the media store does not have, or of another kind. */
  private async mediaProblems(db: Executor, components: readonly JsonObject[]): Promise<ParameterProblem[]> {
    const wanted = headerMediaIds(components);
    if (wanted.length === 0) return [];
    const kinds = await this.options.headerMedia.kindsOf(db, wanted.map((media) => media.mediaId));
    return wanted.flatMap(({ mediaId, format }) => {
      const kind = kinds.get(mediaId);
      if (kind === undefined) return [{ field: 'header.1', message: `media_not_found: no media ${mediaId.slice(0, 64)} (upload it with POST /api/v1/media)` }];
      return kind === format ? [] : [{ field: 'header.1', message: `media_type_mismatch: the header needs ${format === 'image' ? 'an' : 'a'} ${format}, media ${mediaId.slice(0, 64)} is ${kind}` }];
    });
  }
}

function parameterError(send: TemplateSend, problems: readonly ParameterProblem[], where: { item?: number }): AppError {
  const summary = problems.slice(0, 5).map((problem) => `${problem.field} ${problem.message}`).join('; ');
  return new AppError('template_parameters', `Template ${send.name} (${send.language}): ${summary}`, problems.map((problem) => ({ ...where, field: problem.field, message: problem.message })));
}
