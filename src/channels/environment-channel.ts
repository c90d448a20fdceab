/**
 * The environment channel: the number the `WHATSAPP_*` variables describe, or the built-in sandbox
 * when they are unset. It is one `channels` row with a fixed id (migration 20240401), so what was
 * stored before channels existed belongs to it; its credentials stay in the environment and are
 * written to that row at each start (type, number and WABA id only, never a secret).
 */
import type { Config } from '../config/env.js';
import type { Executor } from '../db/transaction.js';
import { SANDBOX_PHONE_NUMBER_ID } from '../whatsapp/outbound/sandbox-transport.js';

/** The environment channel's id, the same in every database. */
export const ENV_CHANNEL_ID = '00000000-0000-4000-8000-000000000001';

const sandboxDisplayNumber = '15550000000';

/** Writes what the environment says about its channel to its row. */
export async function syncEnvironmentChannel(db: Executor, config: Config): Promise<void> {
  const cloud = config.whatsapp;
  await db
    .updateTable('channels')
    .set(
      cloud
        ? { type: 'cloud_api', phone_number_id: cloud.phoneNumberId, display_phone_number: null, business_account_id: config.whatsappBusinessAccountId ?? null }
        : { type: 'sandbox', phone_number_id: SANDBOX_PHONE_NUMBER_ID, display_phone_number: sandboxDisplayNumber, business_account_id: null },
    )
    .where('id', '=', ENV_CHANNEL_ID)
    .execute();
}
