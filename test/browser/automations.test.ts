import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { inboundWebhook, postWebhook } from './support/cloud-api-stand-in.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

describe('automations and the team inbox', () => {
  const suite = browserSuite({ channel: 'cloud_api', env: { WHATSAPP_RATE_LIMIT: '1000' } });

  test('an admin writes a keyword rule that answers a customer, notes the thread privately, and finds it by search', async () => {
    const cloud = suite.cloud;
    assert.ok(cloud);
    const { page, problems } = await signedInPage(suite);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automations' }).click();
    const form = page.getByRole('form', { name: 'New automation' });
    await form.getByLabel('Name').fill('Prices');
    await form.getByLabel('Keywords').fill('preço, price');
    await form.getByLabel('Reply with').fill('Our prices are at flowchat.example/prices');
    await form.getByLabel('Add tags').fill('lead');
    await form.getByRole('button', { name: 'Add automation' }).click();
    const rule = page.getByRole('list', { name: 'Automations' }).getByRole('listitem').filter({ hasText: 'Prices' });
    await rule.getByText(/A message arrives → reply “Our prices/).waitFor();
    assert.equal(await rule.getByRole('checkbox').isChecked(), true);
    await page.getByLabel('Time zone (IANA)').waitFor();
    await screenshot(page, 'automations');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the automations screen');

    await postWebhook(suite.server.url, inboundWebhook([{ phone: '+14155550199', name: 'Rita Preço', text: 'Qual é o PRECO do plano anual?' }]));
    const send = await cloud.waitForSend((item) => item.body.to === '+14155550199');
    assert.equal((send.body.text as { body: string }).body, 'Our prices are at flowchat.example/prices');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: /Rita Preço/ }).click();
    const thread = page.getByRole('log', { name: 'Messages with Rita Preço' });
    await thread.getByRole('article').filter({ hasText: 'Automatic reply' }).waitFor();

    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Wants the annual plan; call her on Monday');
    await page.getByRole('button', { name: 'Add as private note' }).click();
    await thread.getByRole('article', { name: 'Private note' }).filter({ hasText: 'call her on Monday' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('segunda monday');
    const results = page.getByRole('list', { name: 'Messages found' });
    await results.getByText('No message holds these words.').waitFor();
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('annual plan');
    await results.getByRole('link', { name: /Rita Preço/ }).first().click();
    await thread.getByText('Qual é o PRECO do plano anual?').waitFor();

    const away = page.getByRole('checkbox', { name: 'Available' });
    await away.click();
    await page.getByRole('checkbox', { name: 'Away' }).waitFor();
    await screenshot(page, 'inbox-note-and-search');

    // The note never went to WhatsApp: one send only, the automatic reply.
    assert.equal(cloud.sends.filter((item) => item.body.to === '+14155550199').length, 1);
    await closeCleanPage(page, problems);
  });
});
