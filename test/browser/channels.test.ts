import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

const APP_SECRET = 'browser-channels-app-secret';

/** A customer's text to the number `phoneNumberId`, posted as Meta would sign it. */
async function customerWrites(baseUrl: string, phoneNumberId: string, customer: { waId: string; name: string; text: string }): Promise<void> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '1',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
          contacts: [{ profile: { name: customer.name }, wa_id: customer.waId }],
          messages: [{ from: customer.waId, id: `wamid.${phoneNumberId}.${customer.waId}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: customer.text } }],
        },
      }],
    }],
  });
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  const response = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });
  assert.equal(response.status, 200);
}

describe('several WhatsApp numbers', () => {
  const suite = browserSuite({ channel: 'sandbox', env: { WHATSAPP_APP_SECRET: APP_SECRET } });

  test('an admin adds two numbers, and the inbox filters and badges conversations by number', async () => {
    const { page, problems } = await signedInPage(suite);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Numbers' }).click();
    for (const [name, number] of [['Sales', 'sales-demo'], ['Support', 'support-demo']] as const) {
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Kind').selectOption('sandbox');
      await page.getByLabel('Phone number id').fill(number);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `Connected: ${name}` }).waitFor();
      await page.getByRole('table', { name: 'WhatsApp numbers' }).getByRole('cell', { name: number }).waitFor();
    }
    await screenshot(page, 'admin-numbers');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of admin-numbers');

    await customerWrites(suite.server.url, 'sales-demo', { waId: '5581911110001', name: 'Sally Sales', text: 'Do you ship to Recife?' });
    await customerWrites(suite.server.url, 'support-demo', { waId: '5581911110002', name: 'Sam Support', text: 'My order is late' });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    const list = page.getByRole('navigation', { name: 'Conversations' });
    const sally = list.getByRole('link').filter({ hasText: 'Sally Sales' });
    const sam = list.getByRole('link').filter({ hasText: 'Sam Support' });
    await sally.filter({ hasText: 'Sales' }).waitFor();
    await sam.filter({ hasText: 'Support' }).waitFor();
    await page.getByLabel('Number').selectOption({ label: 'Support' });
    await sally.waitFor({ state: 'detached' });
    await sam.waitFor();
    await screenshot(page, 'inbox-numbers');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of inbox-numbers');
    await closeCleanPage(page, problems);
  });
});
