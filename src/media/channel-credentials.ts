/**
 * The one place media work learns which WhatsApp number a file travels through and with what
 * token: today the environment channel (`WHATSAPP_*`) or the sandbox. When numbers become
 * channels of their own, only this resolver changes.
 */
import type { Config } from '../config/env.js';
import { SANDBOX_PHONE_NUMBER_ID } from '../whatsapp/sandbox-channel.js';

export type ChannelCredentials =
  | { readonly kind: 'cloud_api'; readonly apiUrl: string; readonly phoneNumberId: string; readonly accessToken: string }
  | { readonly kind: 'sandbox'; readonly phoneNumberId: string };

export interface CredentialResolver {
  /** The number a message goes out on (`phoneNumberId` of the number it was received on, when known). */
  forNumber(phoneNumberId: string | null): ChannelCredentials;
}

export function environmentCredentials(config: Pick<Config, 'whatsapp' | 'whatsappApiUrl'>): CredentialResolver {
  const cloud = config.whatsapp;
  const credentials: ChannelCredentials = cloud
    ? { kind: 'cloud_api', apiUrl: config.whatsappApiUrl, phoneNumberId: cloud.phoneNumberId, accessToken: cloud.accessToken }
    : { kind: 'sandbox', phoneNumberId: SANDBOX_PHONE_NUMBER_ID };
  return { forNumber: () => credentials };
}
