/** `GET /api/v1/settings`: how this FlowChat talks to WhatsApp, and whether sending is paused. */
import { Type } from 'typebox';
import { NullableTimestampSchema } from './common.schema.js';

export const SenderStateSchema = Type.Object({
  state: Type.Union([Type.Literal('running'), Type.Literal('paused')]),
  code: Type.Union([Type.String(), Type.Null()], { description: 'The WhatsApp error code that paused sending' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  paused_at: NullableTimestampSchema,
});

export const SettingsSchema = Type.Object({
  channel: Type.Union([Type.Literal('sandbox'), Type.Literal('cloud_api')], { description: '`sandbox` when no WHATSAPP_ACCESS_TOKEN is set' }),
  rate_limit: Type.Integer({ description: 'WHATSAPP_RATE_LIMIT: most sends a second, over all processes' }),
  phone_number_id: Type.Union([Type.String(), Type.Null()]),
  api_url: Type.Union([Type.String(), Type.Null()], { description: 'The Cloud API base (cloud_api only)' }),
  daily_limit: Type.Union([Type.Integer(), Type.Null()]),
  window_hours: Type.Integer({ description: 'The customer service window: free text only this long after the last inbound message' }),
  opt_out_keywords: Type.Array(Type.String()),
  opt_in_keywords: Type.Array(Type.String()),
  sender: SenderStateSchema,
});
