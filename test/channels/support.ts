/** Webhook bodies for a given number, and adding a channel over the API, for the channels tests. */
import assert from 'node:assert/strict';
import type { App } from '../../src/http/app.js';
import type { ChannelResource } from '../../src/channels/channel.schema.js';
import { randomBytes } from 'node:crypto';
import { webhookBody, type StandInNumber } from '../support/cloud-api-stand-in.js';
import { bearer } from '../support/app.js';

/** A second number the stand-in serves, with the secrets its channel is added with. */
export interface SecondNumber extends StandInNumber {
  readonly appSecret: string;
  readonly verifyToken: string;
}

export function secondNumber(phoneNumberId = '200000000000002'): SecondNumber {
  return { phoneNumberId, accessToken: `EAAG${randomBytes(12).toString('hex')}`, displayPhoneNumber: '+1 555-000-0002', appSecret: randomBytes(16).toString('hex'), verifyToken: randomBytes(8).toString('hex') };
}

/** A customer's text to the number `phoneNumberId`, as Meta would post it. */
export function inboundTextFor(phoneNumberId: string, message: { from: string; text: string; wamid: string }): string {
  return webhookBody({
    contacts: [{ profile: { name: 'Customer' }, wa_id: message.from }],
    messages: [{ from: message.from, id: message.wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: message.text } }],
  }, phoneNumberId);
}

/** Adds the number as a channel (201 expected). */
export async function addChannel(app: App, token: string, number: SecondNumber, extra: Record<string, unknown> = {}): Promise<ChannelResource> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      name: 'Support',
      type: 'cloud_api',
      phone_number_id: number.phoneNumberId,
      access_token: number.accessToken,
      app_secret: number.appSecret,
      verify_token: number.verifyToken,
      ...extra,
    },
  });
  assert.equal(response.statusCode, 201, response.payload);
  return response.json<ChannelResource>();
}
