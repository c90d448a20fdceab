/**
 * The automation suites' common ground: an app on the suite's database with the Cloud API stand-in
 * as its channel and a signed-in admin; rules created over the API; webhooks posted signed and
 * processed at once, as the processor's worker would. Automations are removed before each test.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { bearer, signedInUser, startTestApp, type TestApp } from '../support/app.js';
import { inboundTextWebhookBody, startCloudApiStandIn, type CloudApiStandIn } from '../support/cloud-api-stand-in.js';
import type { EngineSuite } from '../support/databases.js';
import { uniquePhone } from '../support/phones.js';
import { postWebhook } from '../support/whatsapp.js';

export interface AutomationHarness {
  readonly t: TestApp;
  readonly admin: string;
  /** Creates a rule (`name` defaults); returns its id. */
  rule(body: Record<string, unknown>): Promise<string>;
  /** Posts a signed webhook body and processes it. */
  deliver(body: string): Promise<void>;
  /** A customer's WhatsApp id (digits) no other test uses. */
  customer(): string;
  /** The customer writes `text` (optionally with a given wamid or timestamp). */
  say(from: string, text: string, extra?: { wamid?: string; timestamp?: number }): Promise<void>;
}

export function automationHarness(suite: EngineSuite): AutomationHarness {
  let cloud: CloudApiStandIn;
  const harness = {} as { -readonly [K in keyof AutomationHarness]: AutomationHarness[K] };
  before(async () => {
    cloud = await startCloudApiStandIn();
    harness.t = await startTestApp(suite.database, cloud.env());
    harness.admin = (await signedInUser(harness.t.ctx, 'admin')).token;
  });
  after(async () => {
    await harness.t.close();
    await cloud.close();
  });
  beforeEach(async () => {
    await harness.t.ctx.db.deleteFrom('automations').execute();
  });
  harness.rule = async (body) => {
    const response = await harness.t.app.inject({ method: 'POST', url: '/api/v1/automations', headers: bearer(harness.admin), payload: { name: 'rule', ...body } });
    assert.equal(response.statusCode, 201, response.payload);
    return response.json().id as string;
  };
  harness.deliver = async (body) => {
    assert.equal((await postWebhook(harness.t.app, body, cloud.appSecret)).statusCode, 200);
    await harness.t.ctx.whatsapp.processor.drain();
  };
  harness.customer = () => uniquePhone().slice(1);
  harness.say = (from, text, extra = {}) => harness.deliver(inboundTextWebhookBody({ from, text, ...extra }));
  return harness;
}
