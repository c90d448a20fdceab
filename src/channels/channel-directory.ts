/**
 * Every live channel of this FlowChat, with its credentials decrypted, held in memory: the one
 * place that, given a channel id or a Meta `phone_number_id`, says which number it is and how to
 * reach it. The environment channel's credentials come from the `WHATSAPP_*` variables, the others'
 * from their encrypted row. Each process reloads the list every few seconds (and at once after a
 * change it made itself, or when a webhook names a number or signature it does not know yet).
 *
 * @example
 * const channel = ctx.channels.get(message.channel_id);
 * const creds = channel && ctx.channels.credentials(channel.id); // {apiUrl, phoneNumberId, accessToken, …}
 */
import type { Config } from '../config/env.js';
import type { Channel, ChannelSource, ChannelType } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { safeEqual, sha256Hex } from '../shared/crypto.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { SANDBOX_PHONE_NUMBER_ID } from '../whatsapp/outbound/sandbox-transport.js';
import { isValidSignature } from '../whatsapp/inbound/webhook-signature.js';
import { ChannelRepository } from './channel.repository.js';
import { ChannelSecrets, type SecretField } from './channel-secrets.js';
import { ENV_CHANNEL_ID, syncEnvironmentChannel } from './environment-channel.js';
import { channelSecretKey, SecretKeyMissingError } from './secret-key.js';

/** A live channel as the rest of FlowChat uses it. */
export interface ChannelEntry {
  readonly id: string;
  readonly name: string;
  readonly type: ChannelType;
  readonly source: ChannelSource;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string | null;
  readonly businessAccountId: string | null;
  /** Sends a second, the channel's own or WHATSAPP_RATE_LIMIT. */
  readonly rateLimit: number;
  readonly createdAt: Date;
  /** The environment sandbox is left out of lists and defaults once numbers were added over the API. */
  readonly listed: boolean;
  readonly accessToken: string | undefined;
  readonly appSecret: string | undefined;
  readonly verifyToken: string | undefined;
}

/** What calling the Cloud API as a channel takes. */
export interface ChannelCredentials {
  /** Base URL with the version (WHATSAPP_API_URL). */
  readonly apiUrl: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly businessAccountId: string | null;
}

/**
 * Whether a live channel shows in lists and can be the default: every one but the environment
 * sandbox once numbers were added over the API (`anyFromApi`), where campaigns must not go by default.
 */
export function isListed(row: Pick<Channel, 'source' | 'type'>, anyFromApi: boolean): boolean {
  return row.source === 'api' || row.type === 'cloud_api' || !anyFromApi;
}

/** Unknown numbers or signatures reload the list at most this often. */
const staleAfterMs = 1_000;

export class ChannelDirectory {
  private entries: ChannelEntry[] = [];
  private loadedAt = 0;
  /** Reloads run one after another, so one asked for after a change never joins one begun before it. */
  private reloads: Promise<void> = Promise.resolve();
  private staleReload: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();
  readonly secrets: ChannelSecrets;
  private key: Buffer | undefined;

  private constructor(
    private readonly db: Executor,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    this.secrets = new ChannelSecrets(() => (this.key ??= channelSecretKey(this.config)));
  }

  /**
   * Writes the environment channel's row, checks the secret key against stored channels (a start
   * without it, or with another one, stops with a line naming FLOWCHAT_SECRET_KEY), and loads.
   */
  static async open(db: Executor, config: Config, logger: Logger): Promise<ChannelDirectory> {
    const directory = new ChannelDirectory(db, config, logger);
    await syncEnvironmentChannel(db, config);
    const stored = (await new ChannelRepository(db).listLive()).some((channel) => channel.source === 'api');
    if (stored) {
      let verified: boolean;
      try {
        verified = await directory.secrets.verifyKey(db);
      } catch (error) {
        if (error instanceof SecretKeyMissingError) throw new ConfigError(error.message);
        throw error;
      }
      if (!verified) throw new ConfigError('FLOWCHAT_SECRET_KEY does not open the channel secrets stored in the database (it changed since they were stored)');
    }
    await directory.refresh();
    return directory;
  }

  /**
   * Reloads the channels from the database; listeners hear of it. Inside a transaction, pass it
   * as `db`: the embedded engine's one session would otherwise wait for that transaction to end.
   */
  refresh(db?: Executor): Promise<void> {
    if (db) return this.load(db);
    const next = this.reloads.catch(() => undefined).then(() => this.load(this.db));
    this.reloads = next;
    return next;
  }

  /** Reloads when the list is over a second old (a webhook named something unknown). */
  async refreshIfStale(db?: Executor): Promise<boolean> {
    if (Date.now() - this.loadedAt < staleAfterMs) return false;
    if (db) {
      await this.refresh(db);
      return true;
    }
    // A burst of unknown signatures shares one reload.
    this.staleReload ??= this.refresh().finally(() => (this.staleReload = undefined));
    await this.staleReload;
    return true;
  }

  /** Called after every reload. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every live channel, the environment channel first. */
  live(): readonly ChannelEntry[] {
    return this.entries;
  }

  /** The channels users see in lists. */
  listed(): ChannelEntry[] {
    return this.entries.filter((entry) => entry.listed);
  }

  get(id: string): ChannelEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  /** Where sends go when nothing names a channel: the first listed one. */
  defaultChannel(): ChannelEntry {
    const first = this.listed()[0] ?? this.get(ENV_CHANNEL_ID);
    if (!first) throw new Error('The environment channel row is missing (migration 20240401)');
    return first;
  }

  /** The live channel with this Meta phone number id, if any. */
  byPhoneNumberId(phoneNumberId: string): ChannelEntry | undefined {
    return this.entries.find((entry) => entry.phoneNumberId === phoneNumberId && entry.source === 'api') ?? this.entries.find((entry) => entry.phoneNumberId === phoneNumberId);
  }

  /**
   * The channel a webhook change for `phoneNumberId` belongs to: the channel with that number; a
   * change naming no number, the environment channel; in sandbox mode (no `WHATSAPP_*` number)
   * the sandbox takes every number no channel has, as before channels existed. Undefined: no channel serves it.
   */
  route(phoneNumberId: string | undefined): string | undefined {
    if (phoneNumberId === undefined) return ENV_CHANNEL_ID;
    const found = this.byPhoneNumberId(phoneNumberId);
    if (found) return found.id;
    return this.config.whatsapp === undefined ? ENV_CHANNEL_ID : undefined;
  }

  /** The Cloud API credentials of a live channel (undefined for the sandbox or an unknown id). */
  credentials(channelId: string): ChannelCredentials | undefined {
    const entry = this.get(channelId);
    if (!entry || entry.type !== 'cloud_api' || entry.accessToken === undefined) return undefined;
    return { apiUrl: this.config.whatsappApiUrl, phoneNumberId: entry.phoneNumberId, accessToken: entry.accessToken, businessAccountId: entry.businessAccountId };
  }

  /** A short hash of the channel's token: a pause set under another token is lifted. */
  tokenFingerprint(channelId: string): string | null {
    const token = this.get(channelId)?.accessToken;
    return token === undefined ? null : sha256Hex(token).slice(0, 16);
  }

  /** Whether `header` signs `raw` with the app secret of any channel. */
  signedByAnyChannel(raw: Buffer, header: string | undefined): boolean {
    return this.entries.some((entry) => entry.appSecret !== undefined && isValidSignature(raw, header, entry.appSecret));
  }

  /** Whether `token` is the verify token of any channel. */
  verifyTokenMatches(token: string): boolean {
    let matched = false;
    // Every one compared, so the time taken says nothing about which one matched.
    for (const entry of this.entries) if (entry.verifyToken !== undefined && safeEqual(token, entry.verifyToken)) matched = true;
    return matched;
  }

  private async load(db: Executor): Promise<void> {
    const rows = await new ChannelRepository(db).listLive();
    const fromApi = rows.some((row) => row.source === 'api');
    this.entries = rows.map((row) => this.entryOf(row, fromApi));
    this.loadedAt = Date.now();
    for (const listener of this.listeners) listener();
  }

  private entryOf(row: Channel, fromApi: boolean): ChannelEntry {
    const common = {
      id: row.id,
      name: row.name,
      type: row.type,
      source: row.source,
      phoneNumberId: row.phone_number_id,
      displayPhoneNumber: row.display_phone_number,
      businessAccountId: row.business_account_id,
      rateLimit: row.rate_limit ?? this.config.whatsappRateLimit,
      createdAt: row.created_at,
    };
    if (row.source === 'env') {
      // This process's own variables say what its environment channel is, whatever another wrote to the row.
      const cloud = this.config.whatsapp;
      return {
        ...common,
        type: cloud ? 'cloud_api' : 'sandbox',
        phoneNumberId: cloud?.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID,
        businessAccountId: cloud ? (this.config.whatsappBusinessAccountId ?? null) : null,
        listed: isListed({ source: 'env', type: cloud ? 'cloud_api' : 'sandbox' }, fromApi),
        accessToken: this.config.whatsapp?.accessToken,
        appSecret: this.config.whatsappAppSecret,
        verifyToken: this.config.whatsappVerifyToken,
      };
    }
    return {
      ...common,
      listed: true,
      accessToken: this.openSecret(row, 'access_token', row.access_token_ciphertext),
      appSecret: this.openSecret(row, 'app_secret', row.app_secret_ciphertext),
      verifyToken: this.openSecret(row, 'verify_token', row.verify_token_ciphertext),
    };
  }

  private openSecret(row: Channel, field: SecretField, sealed: string | null): string | undefined {
    if (sealed === null) return undefined;
    try {
      return this.secrets.open(row.id, field, sealed);
    } catch (error) {
      this.logger.error({ channelId: row.id, field, err: error instanceof Error ? error.message : String(error) }, 'a channel secret could not be decrypted; the channel cannot use it');
      return undefined;
    }
  }
}
