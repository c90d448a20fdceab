import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/flowchat-server.js';
import { startSuite } from './support/suite.js';
import type { Suite } from './support/suite.js';

describe('languages', () => {
  let suite: Suite;

  before(async () => {
    suite = await startSuite({ channel: 'sandbox' });
    await suite.api.request('POST', '/contacts', { phone: '+5581999990011', name: 'Joana Prado', tags: ['vip'] });
  });

  after(async () => {
    await suite?.close();
  });

  test('a Brazilian Portuguese browser sees Portuguese; the switcher changes the language and it sticks after a reload', async () => {
    const { page, problems } = await suite.browser.newPage({ locale: 'pt-BR' });
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('heading', { name: 'Entrar no FlowChat' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
    await screenshot(page, 'sign-in-pt-BR');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the sign-in page in Portuguese');
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Senha').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();

    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Contatos' }).click();
    await page.getByRole('heading', { name: 'Contatos', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Contatos' });
    await table.getByRole('columnheader', { name: 'Telefone' }).waitFor();
    await table.getByText('Joana Prado').waitFor();
    await page.getByRole('button', { name: 'Próxima página' }).waitFor();
    await page.getByRole('button', { name: 'Sair' }).waitFor();
    await screenshot(page, 'contacts-pt-BR');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the contacts in Portuguese');

    await page.getByRole('combobox', { name: 'Mostrar o FlowChat em' }).selectOption('es');
    await page.getByRole('heading', { name: 'Contactos', level: 1 }).waitFor();
    await nav.getByRole('link', { name: 'Campañas' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');

    await page.reload();
    await page.getByRole('heading', { name: 'Contactos', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Bandeja de entrada' }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Mostrar FlowChat en' }).inputValue(), 'es');

    await page.getByRole('combobox', { name: 'Mostrar FlowChat en' }).selectOption('en');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    assert.deepEqual(problems(), []);
    await page.context().close();
  });

  test('the browser\'s language picks the nearest one FlowChat speaks, else English', async () => {
    for (const [locale, title] of [
      ['es-MX', 'Inicia sesión en FlowChat'],
      ['pt-PT', 'Entrar no FlowChat'],
      ['fr-FR', 'Sign in to FlowChat'],
    ] as const) {
      const { page, problems } = await suite.browser.newPage({ locale });
      await page.goto(`${suite.server.url}/`);
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByRole('button', { name: { 'es-MX': 'Iniciar sesión', 'pt-PT': 'Entrar', 'fr-FR': 'Sign in' }[locale], exact: true }).click();
      // Empty fields: the errors speak the same language.
      await page.getByRole('alert').first().waitFor();
      const errors = await page.getByRole('alert').allTextContents();
      assert.equal(errors[0], { 'es-MX': 'Escribe tu correo electrónico.', 'pt-PT': 'Informe seu e-mail.', 'fr-FR': 'Enter your email.' }[locale]);
      assert.deepEqual(problems(), []);
      await page.context().close();
    }
  });
});
