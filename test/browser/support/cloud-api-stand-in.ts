/**
 * A stand-in for Meta's WhatsApp Cloud API on loopback: it accepts sends the way Meta does
 * (answering with a fresh wamid), records every request, and builds signed webhooks that play
 * the customer's side (inbound messages, delivery and read statuses) back into FlowChat.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';

export const PHONE_NUMBER_ID = '106540352242922';
export const APP_SECRET = 'browser-test-app-secret';
export const ACCESS_TOKEN = 'browser-test-access-token';
export const VERIFY_TOKEN = 'browser-test-verify-token';

/** A send FlowChat made: the request body and the wamid the stand-in answered with. */
export interface RecordedSend {
  readonly body: Record<string, unknown>;
  readonly wamid: string;
}

export interface CloudApiStandIn {
  /** What to give FlowChat as WHATSAPP_API_URL. */
  readonly apiUrl: string;
  readonly sends: RecordedSend[];
  /** Resolves with the first send matching `predicate`, polling until `timeoutMs`. */
  waitForSend(predicate: (send: RecordedSend) => boolean, timeoutMs?: number): Promise<RecordedSend>;
  close(): Promise<void>;
}

export async function startCloudApiStandIn(): Promise<CloudApiStandIn> {
  const sends: RecordedSend[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === `/v25.0/${PHONE_NUMBER_ID}/messages`) {
        if (body.status === 'read') {
          res.end(JSON.stringify({ success: true }));
          return;
        }
        const wamid = `wamid.${randomUUID().replaceAll('-', '')}`;
        sends.push({ body, wamid });
        res.end(
          JSON.stringify({
            messaging_product: 'whatsapp',
            contacts: [{ input: body.to, wa_id: String(body.to).replace('+', '') }],
            messages: [{ id: wamid }],
          }),
        );
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: 'Unknown path', type: 'OAuthException', code: 100 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    apiUrl: `http://127.0.0.1:${port}/v25.0`,
    sends,
    async waitForSend(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = sends.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('the stand-in Cloud API received no matching send in time');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function envelope(value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '107318452290331',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export interface InboundText {
  readonly phone: string;
  readonly name: string;
  readonly text: string;
  readonly at?: Date;
}

/** One webhook carrying any number of inbound texts, as Meta batches them. */
export function inboundWebhook(messages: readonly InboundText[]): Record<string, unknown> {
  const contacts = new Map<string, { profile: { name: string }; wa_id: string }>();
  for (const message of messages) {
    const waId = message.phone.replace('+', '');
    contacts.set(waId, { profile: { name: message.name }, wa_id: waId });
  }
  return envelope({
    contacts: [...contacts.values()],
    messages: messages.map((message) => ({
      from: message.phone.replace('+', ''),
      id: `wamid.${randomUUID().replaceAll('-', '')}`,
      timestamp: String(Math.floor((message.at ?? new Date()).getTime() / 1000)),
      type: 'text',
      text: { body: message.text },
    })),
  });
}

/** A status webhook for a message the stand-in accepted earlier. */
export function statusWebhook(send: RecordedSend, status: 'sent' | 'delivered' | 'read'): Record<string, unknown> {
  return envelope({
    statuses: [
      {
        id: send.wamid,
        status,
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: String(send.body.to).replace('+', ''),
        ...(typeof send.body.biz_opaque_callback_data === 'string'
          ? { biz_opaque_callback_data: send.body.biz_opaque_callback_data }
          : {}),
      },
    ],
  });
}

/** A failure status, as Meta reports an undeliverable message. */
export function failedStatusWebhook(send: RecordedSend, code: number, title: string): Record<string, unknown> {
  return envelope({
    statuses: [
      {
        id: send.wamid,
        status: 'failed',
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: String(send.body.to).replace('+', ''),
        errors: [{ code, title, message: title, error_data: { details: title } }],
      },
    ],
  });
}

/** Posts a webhook to FlowChat signed with the app secret, as Meta signs it. */
export async function postWebhook(flowchatUrl: string, payload: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify(payload);
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  const response = await fetch(`${flowchatUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body,
  });
  if (response.status !== 200) throw new Error(`FlowChat refused the webhook: ${response.status} ${await response.text()}`);
}
