import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { screenshot } from './support/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/flowchat-server.js';
import { browserSuite, closeCleanPage } from './support/suite.js';

describe('languages', () => {
  const suite = browserSuite({ channel: 'sandbox' });

  before(async () => {
    await suite.api.request('POST', '/contacts', { phone: '+5581999990011', name: 'Joana Prado', tags: ['vip'] });
    await suite.api.request('POST', '/templates/sync');
    await suite.api.request('POST', '/sandbox/inbound', { phone: '+5581999990022', name: 'Rita Souza', text: 'Oi, meu pedido chegou?' });
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
    await closeCleanPage(page, problems);
  });

  /** Signs in with the sign-in page's texts in `locale`'s language. */
  async function signInAs(locale: 'pt-BR' | 'es') {
    const texts = {
      'pt-BR': { email: 'E-mail', password: 'Senha', submit: 'Entrar' },
      es: { email: 'Correo electrónico', password: 'Contraseña', submit: 'Iniciar sesión' },
    }[locale];
    const watched = await suite.browser.newPage({ locale });
    await watched.page.goto(`${suite.server.url}/`);
    await watched.page.getByLabel(texts.email).fill(ADMIN_EMAIL);
    await watched.page.getByLabel(texts.password).fill(ADMIN_PASSWORD);
    await watched.page.getByRole('button', { name: texts.submit, exact: true }).click();
    await watched.page.getByRole('navigation', { name: 'Principal' }).waitFor();
    return watched;
  }

  test('a Brazilian Portuguese agent works the inbox, the template picker, the templates and the automations in Portuguese', async () => {
    const { page, problems } = await signInAs('pt-BR');
    const conversations = page.getByRole('navigation', { name: 'Conversas' });
    await page.getByRole('searchbox', { name: 'Buscar conversas' }).waitFor();
    await page.getByRole('checkbox', { name: 'Atribuídas a mim' }).waitFor();
    await conversations.getByRole('link', { name: /Rita Souza/ }).click();

    const thread = page.getByRole('log', { name: 'Mensagens com Rita Souza' });
    const received = thread.getByRole('article', { name: 'Mensagem recebida' });
    await received.getByText('Oi, meu pedido chegou?').waitFor();
    await received.getByRole('button', { name: 'Responder' }).waitFor();
    await received.getByRole('button', { name: 'Reagir' }).click();
    await received.getByRole('group', { name: 'Escolha uma reação' }).getByRole('button', { name: 'Reagir com 👍' }).waitFor();
    for (const name of ['Anexar', 'Respostas rápidas', 'Usar um modelo', 'Botões ou lista', 'Adicionar como nota privada', 'Enviar']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('complementary', { name: 'Contato' }).getByRole('button', { name: 'Encerrar conversa' }).waitFor();
    await page.getByRole('textbox', { name: 'Mensagem' }).fill('Cliente pediu retorno amanhã');
    await page.getByRole('button', { name: 'Adicionar como nota privada' }).click();
    await thread.getByRole('article', { name: 'Nota privada' }).getByText('Nota privada · nunca enviada').waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the inbox in Portuguese');
    await screenshot(page, 'inbox-pt-BR');

    await page.getByRole('button', { name: 'Usar um modelo' }).click();
    const picker = page.getByRole('form', { name: 'Enviar um modelo' });
    await picker.getByLabel('Modelo', { exact: true }).waitFor();
    await picker.getByRole('button', { name: 'Voltar ao texto' }).waitFor();
    await picker.getByRole('button', { name: 'Enviar modelo' }).waitFor();

    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Modelos' }).click();
    await page.getByRole('heading', { name: 'Modelos', level: 1 }).waitFor();
    const templates = page.getByRole('table', { name: 'Modelos de mensagem' });
    await templates.getByRole('columnheader', { name: 'Idioma' }).waitFor();
    await templates.getByText('APROVADO').first().waitFor();
    await page.getByRole('button', { name: 'Sincronizar com o WhatsApp' }).waitFor();

    await nav.getByRole('link', { name: 'Automações' }).click();
    await page.getByRole('heading', { name: 'Automações', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Nova automação' }).waitFor();
    await page.getByRole('form', { name: 'Nova automação' }).getByLabel('Gatilho').waitFor();
    await page.getByRole('button', { name: 'Adicionar automação' }).waitFor();
    await page.getByRole('heading', { name: 'Horário de atendimento' }).waitFor();
    await page.getByRole('checkbox', { name: 'Segunda-feira' }).waitFor();
    await screenshot(page, 'automations-pt-BR');
    await closeCleanPage(page, problems);
  });

  test('a Spanish-speaking agent sees the inbox in Spanish', async () => {
    const { page, problems } = await signInAs('es');
    await page.getByRole('searchbox', { name: 'Buscar conversaciones' }).waitFor();
    await page.getByRole('navigation', { name: 'Conversaciones' }).getByRole('link', { name: /Rita Souza/ }).click();
    const thread = page.getByRole('log', { name: 'Mensajes con Rita Souza' });
    const received = thread.getByRole('article', { name: 'Mensaje recibido' });
    await received.getByRole('button', { name: 'Responder' }).waitFor();
    await received.getByRole('button', { name: 'Reaccionar' }).waitFor();
    await thread.getByRole('article', { name: 'Nota privada' }).waitFor();
    for (const name of ['Adjuntar', 'Respuestas rápidas', 'Usar una plantilla', 'Botones o lista', 'Agregar como nota privada', 'Enviar']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('complementary', { name: 'Contacto' }).getByRole('button', { name: 'Cerrar conversación' }).waitFor();
    await page.getByRole('textbox', { name: 'Mensaje' }).waitFor();
    await screenshot(page, 'inbox-es');
    await closeCleanPage(page, problems);
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
      await closeCleanPage(page, problems);
    }
  });
});
