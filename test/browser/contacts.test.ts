import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';

describe('contacts', () => {
  const suite = browserSuite({ channel: 'sandbox' });

  before(async () => {
    const people = [
      { phone: '+5581999990001', name: 'Ana Souza', tags: ['vip', 'recife'] },
      { phone: '+5581999990002', name: 'Bruno Lima', tags: ['vip'] },
      { phone: '+5581999990003', name: 'Carla Dias', tags: ['recife'] },
      { phone: '+5581999990004', name: 'Davi Rocha', tags: [] },
    ];
    for (const person of people) await suite.api.request('POST', '/contacts', person);
  });

  test('the table filters by tag and by search, and creates and edits contacts', async () => {
    const { page, problems, expectConsoleError } = await signedInPage(suite);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    const rows = page.getByRole('table', { name: 'Contacts' }).locator('tbody tr');
    await rows.filter({ hasText: 'Davi Rocha' }).waitFor();

    await page.getByLabel('Tags').fill('vip');
    await rows.filter({ hasText: 'Carla Dias' }).waitFor({ state: 'detached' });
    assert.deepEqual((await rows.locator('td:first-child a').allTextContents()).sort(), ['Ana Souza', 'Bruno Lima']);

    await page.getByLabel('Tags').fill('vip, recife');
    await rows.filter({ hasText: 'Bruno Lima' }).waitFor({ state: 'detached' });
    assert.deepEqual(await rows.locator('td:first-child a').allTextContents(), ['Ana Souza']);
    await page.getByLabel('Match').selectOption('any');
    await rows.filter({ hasText: 'Carla Dias' }).waitFor();
    assert.equal(await rows.count(), 3);
    await screenshot(page, 'contacts');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of contacts');

    await page.getByLabel('Tags').fill('');
    await page.getByLabel('Search').fill('bruno');
    await rows.filter({ hasText: 'Ana Souza' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    await page.getByLabel('Search').fill('');

    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.getByLabel('Phone').fill('+5581999990005');
    await dialog.getByLabel('Name').fill('Elisa Melo');
    await dialog.getByLabel('Tags', { exact: true }).fill('vip');
    await dialog.getByLabel('Tags', { exact: true }).press('Enter');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await rows.filter({ hasText: 'Elisa Melo' }).waitFor();

    await page.getByRole('button', { name: 'Edit Elisa Melo' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Elisa Melo' });
    await edit.getByLabel('Name').fill('Elisa Melo Costa');
    await edit.getByRole('button', { name: 'Save contact' }).click();
    await rows.filter({ hasText: 'Elisa Melo Costa' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Edit Elisa Melo Costa' }).click();
    await page.getByRole('dialog', { name: 'Edit Elisa Melo Costa' }).getByRole('button', { name: 'Delete contact' }).click();
    await rows.filter({ hasText: 'Elisa Melo Costa' }).waitFor({ state: 'detached' });

    // A duplicate phone is answered 409, which Chromium logs as a failed resource.
    expectConsoleError(/status of 409/);
    await page.getByRole('button', { name: 'New contact' }).click();
    const duplicate = page.getByRole('dialog', { name: 'New contact' });
    await duplicate.getByLabel('Phone').fill('+5581999990001');
    await duplicate.getByRole('button', { name: 'Create contact' }).click();
    await duplicate.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
    await page.keyboard.press('Escape');
    await closeCleanPage(page, problems);
  });

  test('a CSV import shows its progress, lands the good rows and reports each bad line', async () => {
    const lines = ['phone,name,email,tags,city'];
    for (let index = 0; index < 3000; index += 1)
      lines.push(`+55119${String(10_000_000 + index)},Bulk ${index},,imported,Recife`);
    lines.splice(3, 0, 'not-a-phone,Broken Phone,,imported,Recife');
    lines.splice(6, 0, '+5511988887777,Bad Email,not-an-email,imported,Recife');
    const file = join(tmpdir(), `flowchat-import-${process.pid}.csv`);
    writeFileSync(file, `${lines.join('\n')}\n`);

    const { page, problems } = await signedInPage(suite);
    await page.goto(`${suite.server.url}/contacts`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    await dialog.getByLabel('CSV file').setInputFiles(file);
    // The upload can finish within a frame on loopback, so record whether the bar ever appeared.
    await page.evaluate(() => {
      const seen = { progress: false };
      Object.assign(window, { importProgressSeen: seen });
      new MutationObserver(() => {
        if (document.querySelector('[role="progressbar"][aria-label="Import progress"]')) seen.progress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const report = dialog.getByRole('region', { name: 'Import report' });
    await report.getByText('3,000 created, 0 updated, 2 errors.').waitFor({ timeout: 60_000 });
    assert.equal(
      await page.evaluate(() => (window as unknown as { importProgressSeen: { progress: boolean } }).importProgressSeen.progress),
      true,
    );
    const errorRows = report.getByRole('table', { name: 'Lines that were not imported' }).locator('tbody tr');
    assert.equal(await errorRows.count(), 2);
    assert.deepEqual(await errorRows.locator('td:first-child').allTextContents(), ['4', '7']);
    await screenshot(page, 'contacts-import');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of contacts-import');
    await page.keyboard.press('Escape');
    const table = page.getByRole('table', { name: 'Contacts' });
    await page.getByLabel('Search').fill('Bulk 1234');
    await table.getByText('Bulk 1234', { exact: true }).waitFor();
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Tags').fill('imported');
    await table.locator('tbody tr').filter({ hasText: 'Ana Souza' }).waitFor({ state: 'detached' });
    const firstPage = await table.locator('tbody tr td:first-child').allTextContents();
    assert.ok(firstPage.every((name) => name.startsWith('Bulk ')));
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await table
      .locator('tbody tr td:first-child')
      .first()
      .filter({ hasNotText: firstPage[0] ?? '' })
      .waitFor();
    await closeCleanPage(page, problems);
  });
});
