/**
 * The rules of `/api/v1/channels`: a number is added only once Meta accepts its token for it (422
 * `channel_unreachable`), once (409 on a second live channel with its `phone_number_id`), with
 * its secrets sealed before they are stored and never shown again. The environment channel is
 * listed but read-only. Deleting a channel stops its sending and cancels its queue; its messages
 * stay, still naming it. Every change reloads this process's channels at once (others within seconds).
 */
import { randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import { actorOf, recordAudit } from '../audit/record-audit.js';
import type { Config } from '../config/env.js';
import { SenderStateRepository } from '../db/repositories/sender-state.repository.js';
import type { Channel, ChannelsTable } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvents } from '../events/record-event.js';
import { presentMessage } from '../resources/message.resource.js';
import type { Principal } from '../auth/auth.service.js';
import { AppError, ConflictError, NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import { isListed, type ChannelDirectory } from './channel-directory.js';
import { ChannelRepository } from './channel.repository.js';
import type { ChannelCreateBody, ChannelResource, ChannelUpdateBody } from './channel.schema.js';
import type { SecretField } from './channel-secrets.js';
import { checkPhoneNumber } from './phone-number-check.js';
import { SecretKeyMissingError } from './secret-key.js';

export class ChannelService {
  constructor(
    private readonly db: Executor,
    private readonly config: Config,
    private readonly directory: ChannelDirectory,
  ) {}

  async list(): Promise<ChannelResource[]> {
    const rows = await new ChannelRepository(this.db).listLive();
    const anyFromApi = rows.some((row) => row.source === 'api');
    return this.present(rows.filter((row) => isListed(row, anyFromApi)));
  }

  async get(id: string): Promise<ChannelResource> {
    const [resource] = await this.present([await this.liveOrThrow(id)]);
    if (!resource) throw new NotFoundError('channel_not_found');
    return resource;
  }

  async create(principal: Principal, input: ChannelCreateBody): Promise<ChannelResource> {
    const cloud = input.type === 'cloud_api';
    if (cloud) {
      const missing = (['access_token', 'app_secret', 'verify_token'] as const).filter((field) => input[field] === undefined);
      if (missing.length > 0) throw new AppError('validation_failed', `A cloud_api channel needs ${missing.join(', ')}`, missing.map((field) => ({ field, message: 'required for cloud_api' })));
    }
    await this.assertNumberFree(input.phone_number_id);
    let displayPhoneNumber: string | null = null;
    if (cloud && input.access_token !== undefined) displayPhoneNumber = await this.checkWithMeta(input.phone_number_id, input.access_token);
    const id = randomUUID();
    const channel = await transaction(this.db, async (trx) => {
      await this.assertKeyUsable(trx);
      const created = await new ChannelRepository(trx).create({
        id,
        name: input.name.trim(),
        type: input.type,
        source: 'api',
        phone_number_id: input.phone_number_id,
        display_phone_number: displayPhoneNumber,
        business_account_id: input.business_account_id ?? null,
        rate_limit: input.rate_limit ?? null,
        ...this.sealed(id, input),
      });
      await recordAudit(trx, { actor: actorOf(principal), action: 'channel.created', target: { type: 'channel', id }, details: { phone_number_id: input.phone_number_id } });
      return created;
    }).catch((error: unknown) => {
      // Two admins adding the same number at once: the unique index decides.
      if (error instanceof ConflictError) throw new ConflictError('phone_number_id', 'duplicate_channel');
      throw error;
    });
    await this.directory.refresh();
    return this.get(channel.id);
  }

  async update(principal: Principal, id: string, input: ChannelUpdateBody): Promise<ChannelResource> {
    const current = await this.liveOrThrow(id);
    if (current.source === 'env') throw new AppError('channel_read_only');
    let displayPhoneNumber = current.display_phone_number;
    if (input.access_token !== undefined && current.type === 'cloud_api') displayPhoneNumber = await this.checkWithMeta(current.phone_number_id, input.access_token);
    await transaction(this.db, async (trx) => {
      await this.assertKeyUsable(trx);
      const values: Updateable<ChannelsTable> = { display_phone_number: displayPhoneNumber, ...this.sealed(id, input) };
      if (input.name !== undefined) values.name = input.name.trim();
      if (input.business_account_id !== undefined) values.business_account_id = input.business_account_id;
      if (input.rate_limit !== undefined) values.rate_limit = input.rate_limit;
      if (!(await new ChannelRepository(trx).update(id, values))) throw new NotFoundError('channel_not_found');
      // A new token lifts a pause the old one caused.
      if (input.access_token !== undefined) await new SenderStateRepository(trx, id).resume();
      await recordAudit(trx, { actor: actorOf(principal), action: 'channel.updated', target: { type: 'channel', id }, details: { fields: Object.keys(input).sort() } });
    });
    await this.directory.refresh();
    return this.get(id);
  }

  /** Stops the channel's sending, cancels its queued messages and takes it out of lists; answers it as it was left (`paused`). */
  async delete(principal: Principal, id: string): Promise<ChannelResource> {
    const current = await this.liveOrThrow(id);
    if (current.source === 'env') throw new AppError('channel_read_only');
    const [resource] = await this.present([current]);
    await transaction(this.db, async (trx) => {
      const channels = new ChannelRepository(trx);
      if (!(await channels.markDeleted(id))) throw new NotFoundError('channel_not_found');
      await cancelQueued(trx, id);
      await recordAudit(trx, { actor: actorOf(principal), action: 'channel.deleted', target: { type: 'channel', id } });
    });
    await this.directory.refresh();
    if (!resource) throw new NotFoundError('channel_not_found');
    return { ...resource, status: 'paused' };
  }

  async setMembers(principal: Principal, id: string, userIds: readonly string[]): Promise<string[]> {
    await this.liveOrThrow(id);
    return transaction(this.db, async (trx) => {
      const known = userIds.length === 0 ? [] : await trx.selectFrom('users').select('id').where('id', 'in', [...userIds]).execute();
      const unknown = userIds.filter((userId) => !known.some((row) => row.id === userId));
      if (unknown.length > 0) throw new NotFoundError('user_not_found', undefined, { user_ids: unknown });
      const channels = new ChannelRepository(trx);
      await channels.setMembers(id, userIds);
      await recordAudit(trx, { actor: actorOf(principal), action: 'channel.members_updated', target: { type: 'channel', id }, details: { user_ids: [...userIds] } });
      return (await channels.members([id])).get(id) ?? [];
    });
  }

  private async liveOrThrow(id: string): Promise<Channel> {
    const channel = isUuid(id) ? await new ChannelRepository(this.db).findById(id) : undefined;
    if (!channel || channel.deleted_at !== null) throw new NotFoundError('channel_not_found');
    return channel;
  }

  private async assertNumberFree(phoneNumberId: string): Promise<void> {
    const environment = this.config.whatsapp?.phoneNumberId;
    if (phoneNumberId === environment || (await new ChannelRepository(this.db).numberTaken(phoneNumberId))) {
      throw new ConflictError('phone_number_id', 'duplicate_channel');
    }
  }

  /** Meta's display number for the phone number id; 422 `channel_unreachable` when Meta refuses the token. */
  private async checkWithMeta(phoneNumberId: string, accessToken: string): Promise<string | null> {
    const check = await checkPhoneNumber(this.config.whatsappApiUrl, phoneNumberId, accessToken);
    if (!check.ok) throw new AppError('channel_unreachable', check.reason);
    return check.displayPhoneNumber;
  }

  /** 422 `secret_key_missing` on a server database without FLOWCHAT_SECRET_KEY; stores the key's check value. */
  private async assertKeyUsable(trx: Executor): Promise<void> {
    try {
      if (!(await this.directory.secrets.verifyKey(trx))) throw new Error('FLOWCHAT_SECRET_KEY does not open the stored channel secrets');
    } catch (error) {
      if (error instanceof SecretKeyMissingError) throw new AppError('secret_key_missing');
      throw error;
    }
  }

  /** The ciphertext columns for the secrets given in `input`. */
  private sealed(id: string, input: Partial<Record<SecretField, string>>): Updateable<ChannelsTable> {
    const columns: Updateable<ChannelsTable> = {};
    if (input.access_token !== undefined) columns.access_token_ciphertext = this.directory.secrets.seal(id, 'access_token', input.access_token);
    if (input.app_secret !== undefined) columns.app_secret_ciphertext = this.directory.secrets.seal(id, 'app_secret', input.app_secret);
    if (input.verify_token !== undefined) columns.verify_token_ciphertext = this.directory.secrets.seal(id, 'verify_token', input.verify_token);
    return columns;
  }

  private async present(rows: readonly Channel[]): Promise<ChannelResource[]> {
    const ids = rows.map((row) => row.id);
    const members = await new ChannelRepository(this.db).members(ids);
    const paused = new Set(
      ids.length === 0
        ? []
        : (await this.db.selectFrom('whatsapp_sender_state').select('channel_id').where('channel_id', 'in', ids).where('paused_at', 'is not', null).execute()).map((row) => row.channel_id),
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      phone_number_id: row.phone_number_id,
      display_phone_number: row.display_phone_number,
      ...(row.business_account_id ? { business_account_id: row.business_account_id } : {}),
      rate_limit: row.rate_limit ?? this.config.whatsappRateLimit,
      status: row.deleted_at !== null ? 'paused' : paused.has(row.id) ? 'error' : 'active',
      source: row.source,
      has_access_token: row.source === 'env' ? this.config.whatsapp !== undefined : row.access_token_ciphertext !== null,
      member_ids: members.get(row.id) ?? [],
      created_at: row.created_at.toISOString(),
    }));
  }
}

/**
 * Cancels a deleted channel's queued messages (not those in flight, which settle as usual) and
 * announces them. Run again when a sender lets go of a deleted channel's claimed messages.
 */
export async function cancelQueued(db: Executor, channelId: string): Promise<number> {
  return transaction(db, async (trx) => {
    const canceled = await new ChannelRepository(trx).cancelQueued(channelId);
    await recordEvents(trx, 'message.updated', canceled.map((message) => ({ ...presentMessage(message) })));
    return canceled.length;
  });
}
