/**
 * What each browser test file starts: FlowChat (sandbox or pointed at the stand-in Cloud API), an
 * API client and Chromium. `browserSuite` starts them before the file's tests and stops them after;
 * `signedInPage` opens a page signed in as the admin.
 */
import assert from 'node:assert/strict';
import { forTheSuite } from '../../support/for-the-suite.js';
import { signInApi } from './api-client.js';
import type { ApiClient } from './api-client.js';
import { launchBrowser, signIn } from './browser.js';
import type { TestBrowser, WatchedPage } from './browser.js';
import type { Page } from 'playwright-core';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, startCloudApiStandIn } from './cloud-api-stand-in.js';
import type { CloudApiStandIn } from './cloud-api-stand-in.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startFlowChat } from './flowchat-server.js';
import type { FlowChatServer } from './flowchat-server.js';

export interface Suite {
  readonly server: FlowChatServer;
  readonly api: ApiClient;
  readonly browser: TestBrowser;
  /** Present unless the suite runs on the built-in sandbox channel. */
  readonly cloud: CloudApiStandIn | null;
  close(): Promise<void>;
}

export interface SuiteOptions {
  readonly channel: 'cloud_api' | 'sandbox';
  readonly env?: Readonly<Record<string, string>>;
}

export async function startSuite(options: SuiteOptions): Promise<Suite> {
  const cloud = options.channel === 'cloud_api' ? await startCloudApiStandIn() : null;
  const whatsappEnv: Record<string, string> = cloud
    ? {
        WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_API_URL: cloud.apiUrl,
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      }
    : {};
  let server: FlowChatServer | null = null;
  try {
    server = await startFlowChat({ ...whatsappEnv, ...options.env });
    const api = await signInApi(server.url);
    const browser = await launchBrowser();
    const running = server;
    return {
      server: running,
      api,
      browser,
      cloud,
      async close() {
        await browser.close();
        await running.stop();
        await cloud?.close();
      },
    };
  } catch (error) {
    await server?.stop();
    await cloud?.close();
    throw error;
  }
}

/** The suite of a test file, started before its first test and closed after its last. */
export function browserSuite(options: SuiteOptions): Omit<Suite, 'close'> {
  return forTheSuite(() => startSuite(options), ['server', 'api', 'browser', 'cloud']);
}

/** A fresh page signed in through the form as the admin. */
export async function signedInPage(suite: Pick<Suite, 'server' | 'browser'>, options?: { readonly locale?: string }): Promise<WatchedPage> {
  const watched = await suite.browser.newPage(options);
  await signIn(watched.page, suite.server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  return watched;
}

/** Asserts the page saw no console or page errors (`problems` of its `WatchedPage`), then closes it. */
export async function closeCleanPage(page: Page, problems: () => string[]): Promise<void> {
  assert.deepEqual(problems(), []);
  await page.context().close();
}
