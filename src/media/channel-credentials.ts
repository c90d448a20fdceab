/**
 * The one place media work learns which WhatsApp number a file travels through and with what
 * token: the channel directory's number for a channel id or a Meta `phone_number_id`, the default
 * channel when neither is known.
 */
import type { ChannelDirectory, ChannelEntry } from '../channels/channel-directory.js';

export type ChannelCredentials =
  | { readonly kind: 'cloud_api'; readonly apiUrl: string; readonly phoneNumberId: string; readonly accessToken: string }
  | { readonly kind: 'sandbox'; readonly phoneNumberId: string };

export interface CredentialResolver {
  /** The number a file was received on, by its `phone_number_id` (null: the default channel). */
  forNumber(phoneNumberId: string | null): ChannelCredentials;
  /** The number of the channel a message goes out on (null: the default channel). */
  forChannel(channelId: string | null): ChannelCredentials;
}

export function directoryCredentials(directory: ChannelDirectory): CredentialResolver {
  const of = (entry: ChannelEntry | undefined): ChannelCredentials => {
    const channel = entry ?? directory.defaultChannel();
    const cloud = directory.credentials(channel.id);
    return cloud ? { kind: 'cloud_api', apiUrl: cloud.apiUrl, phoneNumberId: cloud.phoneNumberId, accessToken: cloud.accessToken } : { kind: 'sandbox', phoneNumberId: channel.phoneNumberId };
  };
  return {
    forNumber: (phoneNumberId) => of(phoneNumberId === null ? undefined : directory.byPhoneNumberId(phoneNumberId)),
    forChannel: (channelId) => of(channelId === null ? undefined : directory.get(channelId)),
  };
}
