import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eventually } from './support/api-client.js';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

interface Thread {
  items: { id: string; type: string; content: string | null; reply_to?: string; reactions: { emoji: string; from: string }[]; template?: { name: string } }[];
}

describe('templates, replies and reactions', () => {
  const suite = browserSuite({ channel: 'sandbox', env: { FLOWCHAT_SANDBOX_STATUS_STEP_MS: '200' } });

  before(async () => {
    await suite.api.request('POST', '/templates/sync');
  });

  test('the picker offers the catalogue, a field per variable and a live preview, and sends the rendered template', async () => {
    const contact = await suite.api.request<{ id: string }>('POST', '/contacts', { phone: '+14155550142', name: 'Tess Picker' });
    const { page, problems } = await signedInPage(suite);
    await page.goto(`${suite.server.url}/inbox/${contact.id}`);
    const picker = page.getByRole('form', { name: 'Send a template' });
    await picker.getByLabel('Template').selectOption({ label: 'welcome_offer (en_US)' });
    const preview = picker.getByTestId('template-preview-body');
    assert.equal(await preview.textContent(), 'Thanks for joining, {{1}}! Use the code below for {{2}} off your first order.');

    await picker.getByLabel('Header {{1}}').fill('Tess');
    await picker.getByLabel('Body {{1}}').fill('Tess');
    await picker.getByLabel('Body {{2}}').fill('15%');
    assert.equal(await preview.textContent(), 'Thanks for joining, Tess! Use the code below for 15% off your first order.', 'the preview follows the fields');
    await picker.getByText('A gift for Tess').waitFor();

    await picker.getByRole('button', { name: 'Send template' }).click();
    await picker.getByRole('alert').filter({ hasText: 'Fill in Coupon code' }).waitFor();
    await picker.getByLabel('Coupon code').fill('TESS15');
    assert.equal(await picker.getByRole('alert').count(), 0, 'the error goes once the field is filled');
    await screenshot(page, 'template-picker');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the template picker');
    await picker.getByRole('button', { name: 'Send template' }).click();

    const thread = page.getByRole('log', { name: 'Messages with Tess Picker' });
    await thread.getByRole('article').filter({ hasText: 'Thanks for joining, Tess! Use the code below for 15% off your first order.' }).waitFor();
    const stored = await suite.api.request<Thread>('GET', `/contacts/${contact.id}/messages`);
    assert.equal(stored.items[0]?.template?.name, 'welcome_offer');
    assert.equal(stored.items[0]?.content, 'Thanks for joining, Tess! Use the code below for 15% off your first order.');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    const table = page.getByRole('table', { name: 'Message templates' });
    await table.getByRole('cell', { name: 'appointment_reminder' }).waitFor();
    assert.ok((await table.getByText('APPROVED').count()) >= 4, 'status badges');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the catalogue');
    await closeCleanPage(page, problems);
  });

  test('an agent reacts to a customer’s message and quotes it in a reply', async () => {
    const { contact } = await suite.api.request<{ contact: { id: string } }>('POST', '/sandbox/inbound', { phone: '+14155550143', name: 'Quinn Quote', text: 'Can I change the address?' });
    const inbound = await eventually(async () => {
      const thread = await suite.api.request<Thread>('GET', `/contacts/${contact.id}/messages`);
      return thread.items.find((message) => message.content === 'Can I change the address?');
    }, 'the customer message');
    const { page, problems } = await signedInPage(suite);
    await page.goto(`${suite.server.url}/inbox/${contact.id}`);
    const thread = page.getByRole('log', { name: 'Messages with Quinn Quote' });
    const bubble = thread.getByRole('article').filter({ hasText: 'Can I change the address?' });
    await bubble.getByRole('button', { name: 'React' }).click();
    await bubble.getByRole('button', { name: 'React with 👍' }).click();
    await bubble.getByRole('list', { name: 'Reactions' }).getByText('👍').waitFor();

    await bubble.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('status').filter({ hasText: 'Replying to' }).waitFor();
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Yes, send us the new one.');
    await composer.press('Enter');
    const reply = thread.getByRole('article').filter({ hasText: 'Yes, send us the new one.' });
    await reply.getByLabel('Quoted message').getByText('Can I change the address?').waitFor();

    const stored = await suite.api.request<Thread>('GET', `/contacts/${contact.id}/messages`);
    assert.equal(stored.items.find((message) => message.content === 'Yes, send us the new one.')?.reply_to, inbound.id);
    const reactions = stored.items.find((message) => message.id === inbound.id)?.reactions ?? [];
    assert.deepEqual(reactions.map((reaction) => [reaction.emoji, reaction.from]), [['👍', 'user']]);
    await closeCleanPage(page, problems);
  });
});
