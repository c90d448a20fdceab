/**
 * The template catalogue: Meta's templates of the WABA, synced at start, every 15 minutes and on
 * demand, changed at once by status webhooks; the sandbox keeps its demo templates instead. With a
 * WABA configured, every template send (single, bulk, campaign) is checked against it before
 * anything is stored; the body is rendered with the values as the message's `content`.
 */
import type { JsonObject, JsonValue, MessageTemplate } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { AppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { HeaderMediaStore } from './header-media.js';
import type { MetaTemplateClient } from './meta-template-client.js';
import { SANDBOX_BUSINESS_ACCOUNT_ID, sandboxTemplates } from './sandbox-templates.js';
import { pauseCampaignsUsingTemplate, stoppingStatuses } from './template-campaign-pause.js';
import { checkValues, headerMediaIds, renderBody, type ParameterProblem, type TemplateParameter } from './template-parameters.js';
import { templateEventData } from './template.presenter.js';
import { TemplateRepository, type TemplateFilter } from './template.repository.js';

export interface TemplateSend {
  readonly name: string;
  readonly language: string;
  readonly components?: readonly Readonly<Record<string, unknown>>[];
}

export interface SyncResult {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
}

export interface TemplateCatalogueOptions {
  /** The configured WABA: its catalogue is synced from Meta and enforced on sends. */
  readonly businessAccountId: string | undefined;
  /** The sandbox channel: its demo templates are the catalogue, shown but not enforced. */
  readonly sandbox: boolean;
  readonly client: MetaTemplateClient | undefined;
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

export class TemplateCatalogue {
  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    private readonly options: TemplateCatalogueOptions,
  ) {}

  /** The WABA whose catalogue is listed; undefined without one. */
  get businessAccountId(): string | undefined {
    return this.options.businessAccountId ?? (this.options.sandbox ? SANDBOX_BUSINESS_ACCOUNT_ID : undefined);
  }

  async list(filter: TemplateFilter): Promise<MessageTemplate[]> {
    const account = this.businessAccountId;
    return account ? new TemplateRepository(this.db).list(account, filter) : [];
  }

  /** Fetches the whole catalogue (every page) and stores it; templates no longer listed become `DELETED`. */
  async sync(): Promise<SyncResult> {
    const account = this.businessAccountId;
    if (!account) throw new AppError('templates_not_configured');
    const rows = this.options.client && this.options.businessAccountId ? await this.options.client.fetchAll(account) : [...sandboxTemplates];
    const result = await transaction(this.db, async (trx) => {
      const repository = new TemplateRepository(trx);
      const written = await repository.upsert(account, rows);
      const removed = await repository.markDeletedExcept(account, rows);
      for (const template of [...written, ...removed]) await recordEvent(trx, 'template.updated', templateEventData(template));
      for (const template of written.filter((row) => stoppingStatuses.includes(row.status))) await pauseCampaignsUsingTemplate(trx, template.name, template.language);
      return { added: written.filter((row) => row.inserted).length, updated: written.filter((row) => !row.inserted).length, removed: removed.length };
    });
    if (result.added + result.updated + result.removed > 0) this.logger.info(result, 'template catalogue synced');
    return result;
  }

  /**
   * Applies a status webhook at once: the template's status (and rejection reason) changes, a
   * `template.updated` event goes out, and campaigns using a paused or disabled template pause.
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
    if (stoppingStatuses.includes(status) && template.name && template.language) await pauseCampaignsUsingTemplate(db, template.name, template.language);
  }

  /**
   * Checks template sends against the catalogue (when a WABA is configured) and returns each one's
   * rendered body, or null where the template is not in the catalogue. Throws 422
   * `template_not_found`, `template_not_approved` or `template_parameters` (details naming each
   * value) for the first send that fails.
   */
  async prepare(db: Executor, sends: readonly TemplateSend[]): Promise<Array<string | null>> {
    const account = this.businessAccountId;
    if (!account || sends.length === 0) return sends.map(() => null);
    const keys = [...new Map(sends.map((send) => [`${send.name}\u0000${send.language}`, { name: send.name, language: send.language }])).values()];
    const found = new Map((await new TemplateRepository(db).find(account, keys)).map((template) => [`${template.name}\u0000${template.language}`, template]));
    const enforced = this.options.businessAccountId !== undefined;
    const contents: Array<string | null> = [];
    for (const [position, send] of sends.entries()) {
      const template = found.get(`${send.name}\u0000${send.language}`);
      const components = (send.components ?? []) as JsonObject[];
      if (!enforced) {
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
