import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { postWebhook, statusWebhook } from './support/cloud-api-stand-in.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

describe('campaigns', () => {
    // A slow send rate keeps the second campaign running long enough to pause and cancel it.
  const suite = browserSuite({ channel: 'cloud_api', env: { WHATSAPP_RATE_LIMIT: '2' } });

  before(async () => {
    for (let index = 1; index <= 5; index += 1) {
      await suite.api.request('POST', '/contacts', {
        phone: `+4477009004${String(index).padStart(2, '0')}`,
        name: `Spring Buyer ${index}`,
        tags: ['spring'],
        opted_out: index === 5,
      });
    }
    for (let index = 1; index <= 12; index += 1) {
      await suite.api.request('POST', '/contacts', {
        phone: `+4477009005${String(index).padStart(2, '0')}`,
        name: `Autumn Buyer ${index}`,
        tags: ['autumn'],
      });
    }
  });

  test('a campaign from a saved segment previews its audience, then shows live progress and the funnel', async () => {
    const cloud = suite.cloud;
    assert.ok(cloud);
    const { page, problems } = await signedInPage(suite);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();

    await page.getByLabel('Campaign name').fill('Spring sale');
    await page.getByLabel('Tags', { exact: true }).fill('spring');
    // Five contacts carry the tag; the opted-out one is left out.
    await page.getByTestId('preview-count').filter({ hasText: /^4$/ }).waitFor();
    await page.getByLabel('Save as segment').fill('Spring buyers');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page
      .getByLabel('Segment', { exact: true })
      .getByRole('option', { name: 'Spring buyers' })
      .waitFor({ state: 'attached' });
    assert.equal((await page.getByLabel('Segment', { exact: true }).inputValue()) !== '', true);

    await page.getByLabel('Template name').fill('spring_sale');
    await page.getByLabel('Body variables (one per line)').fill('{{name}}');
    await screenshot(page, 'campaign-new');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of campaign-new');
    await page.getByRole('button', { name: 'Create and start campaign' }).click();
    await page.getByRole('heading', { name: 'Spring sale' }).waitFor();

    const sends = await Promise.all(
      [1, 2, 3, 4].map((index) =>
        cloud.waitForSend((item) => item.body.to === `+4477009004${String(index).padStart(2, '0')}`, 30_000),
      ),
    );
    for (const send of sends) {
      assert.equal(send.body.type, 'template');
      await postWebhook(suite.server.url, statusWebhook(send, 'delivered'));
    }
    for (const send of sends.slice(0, 3)) await postWebhook(suite.server.url, statusWebhook(send, 'read'));

    const progress = page.getByRole('progressbar', { name: 'Campaign progress' });
    await page.locator('[role="progressbar"][aria-valuenow="4"]').waitFor();
    assert.equal(await progress.getAttribute('aria-valuemax'), '4');
    const funnel = page.getByRole('table', { name: /Delivery funnel/ });
    await funnel.getByRole('row', { name: 'Read 3' }).waitFor({ state: 'attached' });
    assert.equal(await funnel.getByRole('row', { name: 'Delivered 4' }).count(), 1);
    assert.equal(await funnel.getByRole('row', { name: 'Sent 4' }).count(), 1);
    await page.getByText('completed', { exact: true }).waitFor();

    const recipients = page.getByRole('region', { name: 'Recipients' }).locator('tbody tr');
    await recipients.filter({ hasText: 'Spring Buyer 4' }).filter({ hasText: 'delivered' }).waitFor();
    assert.equal(await recipients.count(), 4);
    await page.getByLabel('Status', { exact: true }).selectOption('read');
    await recipients.filter({ hasText: 'Spring Buyer 4' }).waitFor({ state: 'detached' });
    assert.equal(await recipients.count(), 3);
    await screenshot(page, 'campaign');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of campaign');
    await closeCleanPage(page, problems);
  });

  test('a running campaign can be paused, resumed and canceled', async () => {
    const { page, problems } = await signedInPage(suite);
    await page.goto(`${suite.server.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Autumn sale');
    await page.getByLabel('Tags', { exact: true }).fill('autumn');
    await page.getByTestId('preview-count').filter({ hasText: /^12$/ }).waitFor();
    await page.getByLabel('Template name').fill('autumn_sale');
    await page.getByRole('button', { name: 'Create and start campaign' }).click();
    await page.getByRole('heading', { name: 'Autumn sale' }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('paused', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('running', { exact: true }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByText('canceled', { exact: true }).first().waitFor();
    const caption = await page.locator('.progress-caption').textContent();
    assert.match(caption ?? '', /[1-9]\d* canceled/);
    await page.getByRole('link', { name: '← All campaigns' }).click();
    const list = page.getByRole('table', { name: 'Campaigns' });
    await list.getByRole('link', { name: 'Spring sale' }).waitFor();
    await list.getByRole('link', { name: 'Autumn sale' }).waitFor();
    await screenshot(page, 'campaigns');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of campaigns');
    await closeCleanPage(page, problems);
  });
});
