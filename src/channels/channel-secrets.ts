/**
 * A channel's access token, app secret and verify token at rest: AES-256-GCM under the channel
 * secret key (src/channels/secret-key.ts), each bound to its channel and field, so a ciphertext
 * copied onto another row or column does not open. A check value sealed under the key the first
 * time tells a wrong key at start, before any secret is needed.
 */
import type { Executor } from '../db/transaction.js';
import { openWithKey, sealWithKey } from '../outbound-webhooks/secret-box.js';

export type SecretField = 'access_token' | 'app_secret' | 'verify_token';

const checkSetting = 'channel_secret_key_check';
const checkText = 'flowchat channel secrets';

export class ChannelSecrets {
  constructor(private readonly key: () => Buffer) {}

  seal(channelId: string, field: SecretField, secret: string): string {
    return sealWithKey(this.key(), secret, `${channelId}:${field}`);
  }

  open(channelId: string, field: SecretField, sealed: string): string {
    return openWithKey(this.key(), sealed, `${channelId}:${field}`);
  }

  /**
   * Stores the key's check value when there is none; returns false when the stored one does not
   * open under this key (the key changed since channels were stored).
   */
  async verifyKey(db: Executor): Promise<boolean> {
    const stored = await db.selectFrom('app_settings').select('value').where('key', '=', checkSetting).executeTakeFirst();
    if (!stored) {
      await db.insertInto('app_settings').values({ key: checkSetting, value: sealWithKey(this.key(), checkText, checkSetting) }).onConflict((oc) => oc.column('key').doNothing()).execute();
      return true;
    }
    const key = this.key();
    try {
      return openWithKey(key, stored.value, checkSetting) === checkText;
    } catch {
      return false;
    }
  }
}
