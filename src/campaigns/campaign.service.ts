/**
 * Campaigns: creating one enqueues its messages; pause, resume and cancel hold, release or cancel
 * the messages no sender has claimed yet, in one UPDATE each, in the same transaction as the
 * status change, its audit entry and its `campaign.updated` event. Delivery itself is the
 * WhatsApp sender's (see src/db/repositories/outbox.repository.ts for how holds work).
 */
import type { Foundation } from '../foundation.js';
import type { TemplateCatalogue } from '../templates/template-catalogue.js';
import type { MessageService } from '../messages/message.service.js';
import { actorOf, recordAudit, type AuditAction } from '../audit/record-audit.js';
import { audienceFromJson, audienceToJson, normalizeAudience, type Audience, type AudienceInput } from './audience.js';
import { enqueueCampaign } from './enqueue.js';
import { prepareTemplate, tokenizeText, type CampaignTemplate } from './template-variables.js';
import { CampaignRecipientRepository, type RecipientStatus } from '../db/repositories/campaign-recipient.repository.js';
import { CampaignRepository, emptyCounts } from '../db/repositories/campaign.repository.js';
import { SegmentRepository } from '../db/repositories/segment.repository.js';
import type { Campaign, CampaignStatus } from '../db/schema.js';
import { afterCommit, transaction, type Executor } from '../db/transaction.js';
import { announceCampaign } from './announce-campaign.js';
import { presentCampaign, presentRecipient, type CampaignResource, type RecipientResource } from '../resources/campaign.resource.js';
import { AppError, NotFoundError, invalidField } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { Principal } from '../auth/auth.service.js';

export interface CreateCampaignInput {
  readonly name: string;
  readonly template: CampaignTemplate;
  readonly audience?: AudienceInput;
  readonly segment_id?: string;
  readonly scheduled_at?: string | null;
  /** The number it goes out from; unset: the first channel. */
  readonly channel_id?: string;
}

export interface CampaignListQuery {
  readonly status?: CampaignStatus;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface RecipientListQuery {
  readonly status?: RecipientStatus;
  readonly limit?: number;
  readonly cursor?: string;
}

type Action = 'pause' | 'resume' | 'cancel';

/** What each action needs the campaign to be in, and the audit action it records. */
const actions: Readonly<Record<Action, { from: readonly CampaignStatus[]; audit: AuditAction }>> = {
  pause: { from: ['scheduled', 'running'], audit: 'campaign.paused' },
  resume: { from: ['paused'], audit: 'campaign.resumed' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], audit: 'campaign.canceled' },
};

/** The status an action leaves a campaign in when it is already there (a repeat is a no-op). */
const settledBy: Readonly<Record<Action, readonly CampaignStatus[]>> = {
  pause: ['paused'],
  resume: ['running', 'scheduled'],
  cancel: ['canceled'],
};

const CSV_PAGE = 1000;

function campaignName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidField('name', 'cannot be blank');
  return trimmed;
}

/** What campaigns are checked against and started with: templates, the number choice, the sender's wake-up. */
export type CampaignServiceDeps = Pick<Foundation, 'db' | 'cursors'> & {
  readonly templates: Pick<TemplateCatalogue, 'prepare'>;
  readonly messages: Pick<MessageService, 'channelFor'>;
  readonly wakeSender: () => void;
};

export class CampaignService {
  private readonly campaigns: CampaignRepository;
  private readonly recipients: CampaignRecipientRepository;

  constructor(private readonly ctx: CampaignServiceDeps) {
    this.campaigns = new CampaignRepository(ctx.db);
    this.recipients = new CampaignRecipientRepository(ctx.db);
  }

  async create(principal: Principal, input: CreateCampaignInput): Promise<CampaignResource> {
    const template = prepareTemplate(input.template);
    const scheduledAt = input.scheduled_at ? new Date(input.scheduled_at) : null;
    const later = scheduledAt !== null && scheduledAt.getTime() > Date.now();
    return transaction(this.ctx.db, async (trx) => {
      const { audience, segmentId } = await this.audienceOf(trx, input);
      const channelId = this.ctx.messages.channelFor(input.channel_id);
      const [content] = await this.ctx.templates.prepare(trx, [{ channelId, template: input.template }]);
      const campaigns = this.campaigns.with(trx);
      const created = await campaigns.create({
        name: campaignName(input.name),
        template: JSON.stringify(input.template),
        audience: audienceToJson(audience),
        segment_id: segmentId,
        scheduled_at: scheduledAt,
        created_by: principal.userId,
        channel_id: channelId,
      });
      const { total, skipped } = await enqueueCampaign(trx, {
        campaignId: created.id,
        audience,
        template,
        notBefore: later ? scheduledAt : null,
        content: content ? tokenizeText(content, template) : null,
      });
      const status: CampaignStatus = total === 0 ? 'completed' : later ? 'scheduled' : 'running';
      const campaign = await campaigns.setEnqueued(created.id, { total, skipped, status });
      await recordAudit(trx, {
        actor: actorOf(principal),
        action: 'campaign.created',
        target: { type: 'campaign', id: campaign.id },
        details: { name: campaign.name, status, total, skipped, ...(segmentId ? { segment_id: segmentId } : {}) },
      });
      if (status === 'running') afterCommit(trx, () => this.ctx.wakeSender());
      return announceCampaign(trx, campaign, { ...emptyCounts(), pending: total });
    });
  }

  async get(id: string): Promise<CampaignResource> {
    let campaign = await this.findOrThrow(this.ctx.db, id);
    const counts = (await this.campaigns.counts([campaign.id])).get(campaign.id) ?? emptyCounts();
    if (campaign.status === 'running' && counts.pending === 0) {
      // Nothing left to send: complete it now rather than on the worker's next round.
      const [completed] = await transaction(this.ctx.db, async (trx) => {
        const done = await this.campaigns.with(trx).completeDrained([campaign.id]);
        for (const row of done) await announceCampaign(trx, row, counts);
        return done;
      });
      if (completed) campaign = completed;
    }
    return presentCampaign(campaign, counts);
  }

  async list(query: CampaignListQuery): Promise<{ items: CampaignResource[]; next_cursor: string | null }> {
    const scope = `campaigns:${query.status ?? ''}`;
    const page = await this.campaigns.list({
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 50,
      ...(query.cursor ? { after: this.ctx.cursors.decode(query.cursor, scope) } : {}),
    });
    const counts = await this.campaigns.counts(page.items.map((campaign) => campaign.id));
    return {
      items: page.items.map((campaign) => presentCampaign(campaign, counts.get(campaign.id) ?? emptyCounts())),
      next_cursor: page.next ? this.ctx.cursors.encode(page.next, scope) : null,
    };
  }

  pause(principal: Principal, id: string): Promise<CampaignResource> {
    return this.act(principal, id, 'pause');
  }

  resume(principal: Principal, id: string): Promise<CampaignResource> {
    return this.act(principal, id, 'resume');
  }

  cancel(principal: Principal, id: string): Promise<CampaignResource> {
    return this.act(principal, id, 'cancel');
  }

  async listRecipients(id: string, query: RecipientListQuery): Promise<{ items: RecipientResource[]; next_cursor: string | null }> {
    const campaign = await this.findOrThrow(this.ctx.db, id);
    const limit = query.limit ?? 50;
    const scope = `campaign-recipients:${campaign.id}:${query.status ?? ''}`;
    const after = query.cursor ? this.ctx.cursors.decode(query.cursor, scope).id : undefined;
    const rows = await this.recipients.page({
      campaignId: campaign.id,
      limit: limit + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(after ? { afterContactId: after } : {}),
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(presentRecipient),
      next_cursor: rows.length > limit && last ? this.ctx.cursors.encode({ value: null, id: last.contact_id }, scope) : null,
    };
  }

  /** Every recipient of `campaign`, a page at a time, for the CSV export. */
  async *allRecipients(campaign: Campaign): AsyncGenerator<RecipientResource[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.recipients.page({ campaignId: campaign.id, limit: CSV_PAGE, ...(after ? { afterContactId: after } : {}) });
      if (rows.length > 0) yield rows.map(presentRecipient);
      if (rows.length < CSV_PAGE) return;
      after = rows[rows.length - 1]?.contact_id;
    }
  }

  /** The campaign (name, for the export's file name), or a 404. */
  async find(id: string): Promise<Campaign> {
    return this.findOrThrow(this.ctx.db, id);
  }

  private async findOrThrow(db: Executor, id: string): Promise<Campaign> {
    const campaign = isUuid(id) ? await this.campaigns.with(db).findById(id) : undefined;
    if (!campaign) throw new NotFoundError('campaign_not_found');
    return campaign;
  }

  private async audienceOf(db: Executor, input: CreateCampaignInput): Promise<{ audience: Audience; segmentId: string | null }> {
    if (input.segment_id !== undefined) {
      if (input.audience !== undefined) throw invalidField('audience', 'give either audience or segment_id, not both');
      const segment = await new SegmentRepository(db).findByIdOrThrow(input.segment_id);
      return { audience: audienceFromJson(segment.filter), segmentId: segment.id };
    }
    if (input.audience === undefined) throw invalidField('audience', 'is required (or segment_id)');
    return { audience: normalizeAudience(input.audience), segmentId: null };
  }

  private async act(principal: Principal, id: string, action: Action): Promise<CampaignResource> {
    if (!isUuid(id)) throw new NotFoundError('campaign_not_found');
    return transaction(this.ctx.db, async (trx) => {
      const campaigns = this.campaigns.with(trx);
      const current = await campaigns.findForUpdate(id);
      if (!current) throw new NotFoundError('campaign_not_found');
      if (settledBy[action].includes(current.status)) return presentCampaign(current, (await campaigns.counts([id])).get(id) ?? emptyCounts());
      if (!actions[action].from.includes(current.status)) {
        throw new AppError('invalid_state', `A ${current.status} campaign cannot be ${action === 'cancel' ? 'canceled' : `${action}d`}`, {
          status: current.status,
        });
      }
      let affected: number;
      let next: CampaignStatus;
      if (action === 'pause') {
        affected = await campaigns.holdMessages(id);
        next = 'paused';
      } else if (action === 'resume') {
        affected = await campaigns.releaseMessages(id);
        next = current.scheduled_at !== null && current.scheduled_at.getTime() > Date.now() && current.started_at === null ? 'scheduled' : 'running';
      } else {
        affected = await campaigns.cancelMessages(id);
        next = 'canceled';
      }
      const campaign = (await campaigns.transition(id, actions[action].from, next)) ?? current;
      if (next === 'running') afterCommit(trx, () => this.ctx.wakeSender());
      await recordAudit(trx, {
        actor: actorOf(principal),
        action: actions[action].audit,
        target: { type: 'campaign', id },
        details: { name: campaign.name, messages: affected },
      });
      return announceCampaign(trx, campaign);
    });
  }
}
