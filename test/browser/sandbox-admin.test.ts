import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot, signIn } from './support/browser.js';
import { sendAsSimulatedCustomer } from './support/customer-simulator.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/flowchat-server.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

describe('sandbox, dashboard and admin', () => {
  const suite = browserSuite({ channel: 'sandbox' });

  test('a new user simulates a customer, answers, and sees the answer read, all from the UI', async () => {
    const { page, problems } = await signedInPage(suite);
    await sendAsSimulatedCustomer(page, { phone: '+5581988887777', name: 'Rita Sandbox', text: 'Oi! Vocês abrem no sábado?' });
    await screenshot(page, 'admin-sandbox');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of admin-sandbox');
    await page.getByRole('link', { name: 'Open the conversation' }).click();

    const thread = page.getByRole('log', { name: 'Messages with Rita Sandbox' });
    await thread.getByText('Oi! Vocês abrem no sábado?').waitFor();
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Sim, das 9 às 13!');
    await composer.press('Enter');
    // The sandbox channel plays the customer's phone: sent, delivered, then read within seconds.
    await thread
      .getByRole('article')
      .filter({ hasText: 'Sim, das 9 às 13!' })
      .getByRole('img', { name: 'read' })
      .waitFor({ timeout: 30_000 });
    await closeCleanPage(page, problems);
  });

  test('the dashboard shows messages per day, first response time and open conversations', async () => {
    const { page, problems } = await signedInPage(suite);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('img', { name: 'Messages per day, inbound and outbound' }).waitFor();
    const open = page.getByRole('region', { name: 'Open conversations' });
    assert.match((await open.textContent()) ?? '', /Open conversations\s*[1-9]/);
    await page.getByRole('region', { name: 'Median first response' }).waitFor();
    await screenshot(page, 'dashboard');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of dashboard');
    await closeCleanPage(page, problems);
  });

  test('admins manage users and API keys; an agent sees no admin section', async () => {
    const { page, problems } = await signedInPage(suite);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByLabel('Email').fill('agent@flowchat.test');
    await page.getByLabel('Name').fill('Alex Agent');
    await page.getByLabel('Password').fill('agent password 123');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('table', { name: 'Users' }).getByRole('cell', { name: 'agent@flowchat.test', exact: true }).waitFor();
    await screenshot(page, 'admin-users');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of admin-users');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('Shop integration');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('.key-reveal code').textContent();
    assert.ok(secret && secret.length > 16);
    const me = await fetch(`${suite.server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.status, 200);
    await screenshot(page, 'admin-api-keys');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of admin-api-keys');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke Shop integration' }).click();
    await page.getByRole('button', { name: 'Revoke Shop integration' }).waitFor({ state: 'detached' });
    const revoked = await fetch(`${suite.server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(revoked.status, 401);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await signIn(page, suite.server.url, 'agent@flowchat.test', 'agent password 123');
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
    await closeCleanPage(page, problems);
  });

  test('the app is keyboard navigable with a visible focus ring', async () => {
    const { page, problems } = await suite.browser.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    await signIn(page, suite.server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    assert.equal(await skip.evaluate((element) => element === document.activeElement), true);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.textContent(), 'Inbox');
    const outline = await focused.evaluate((element) => getComputedStyle(element).outlineStyle);
    assert.equal(outline, 'solid');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    // Nothing overflows sideways at 1024 px.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 1024), true);
    await closeCleanPage(page, problems);
  });
});
