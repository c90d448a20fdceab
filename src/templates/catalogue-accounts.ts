/**
 * Which WABA's template catalogue each channel sends from, and which catalogues there are to
 * sync. A cloud channel reads its own `business_account_id`'s catalogue, else the one of
 * WHATSAPP_BUSINESS_ACCOUNT_ID (the environment channel's WABA); a sandbox channel reads the
 * sandbox's demo templates, which are shown and rendered but not enforced. A cloud channel with
 * neither has no catalogue: its template sends pass unchecked.
 */
import type { ChannelDirectory, ChannelEntry } from '../channels/channel-directory.js';
import { NotFoundError } from '../shared/errors.js';
import { SANDBOX_BUSINESS_ACCOUNT_ID } from './sandbox-templates.js';

/** The catalogue a channel sends from. */
export interface CatalogueAccount {
  /** The WABA id the templates are kept under (`sandbox` for the demo templates). */
  readonly id: string;
  /** Whether sends are refused unless the catalogue allows them (not for the sandbox's demo templates). */
  readonly enforced: boolean;
}

/** A catalogue to sync: Meta's list of a WABA read with a token of one of its channels, or the sandbox's demo list. */
export type CatalogueSource = { readonly kind: 'meta'; readonly account: string; readonly accessToken: string } | { readonly kind: 'sandbox'; readonly account: string };

export class CatalogueAccounts {
  constructor(
    private readonly channels: Pick<ChannelDirectory, 'live' | 'get'>,
    /** WHATSAPP_BUSINESS_ACCOUNT_ID: the catalogue of cloud channels that name no WABA of their own. */
    private readonly environmentAccountId: string | undefined,
  ) {}

  /** The catalogue the live channel `channelId` sends from (null: none); 404 `channel_not_found` for an unknown id. */
  of(channelId: string): CatalogueAccount | null {
    const channel = this.channels.get(channelId);
    if (!channel) throw new NotFoundError('channel_not_found');
    return this.accountOf(channel);
  }

  /** Every catalogue a live channel sends from, once each, the environment channel's first. */
  sources(): CatalogueSource[] {
    const sources = new Map<string, CatalogueSource>();
    for (const channel of this.channels.live()) {
      // A channel falling back to the environment's WABA is not asked for it: the environment channel is.
      if (channel.type === 'sandbox' && !sources.has(SANDBOX_BUSINESS_ACCOUNT_ID)) sources.set(SANDBOX_BUSINESS_ACCOUNT_ID, { kind: 'sandbox', account: SANDBOX_BUSINESS_ACCOUNT_ID });
      const own = channel.type === 'cloud_api' ? channel.businessAccountId : null;
      if (own && channel.accessToken !== undefined && !sources.has(own)) sources.set(own, { kind: 'meta', account: own, accessToken: channel.accessToken });
    }
    return [...sources.values()];
  }

  /** The live channels that send from `account`'s catalogue. */
  channelsOf(account: string): string[] {
    return this.channels.live().flatMap((channel) => (this.accountOf(channel)?.id === account ? [channel.id] : []));
  }

  private accountOf(channel: ChannelEntry): CatalogueAccount | null {
    if (channel.type === 'sandbox') return { id: SANDBOX_BUSINESS_ACCOUNT_ID, enforced: false };
    const id = channel.businessAccountId ?? this.environmentAccountId;
    return id ? { id, enforced: true } : null;
  }
}
