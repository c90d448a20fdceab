/** What each browser test file starts: FlowChat (sandbox or pointed at the stand-in Cloud API), an API client and Chromium. */
import { signInApi } from './api-client.js';
import type { ApiClient } from './api-client.js';
import { launchBrowser } from './browser.js';
import type { TestBrowser } from './browser.js';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN, startCloudApiStandIn } from './cloud-api-stand-in.js';
import type { CloudApiStandIn } from './cloud-api-stand-in.js';
import { startFlowChat } from './flowchat-server.js';
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
