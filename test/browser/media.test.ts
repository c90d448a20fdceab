import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessibilityViolations } from './support/accessibility.js';
import { eventually } from './support/api-client.js';
import { screenshot } from './support/browser.js';
import { sendAsSimulatedCustomer } from './support/customer-simulator.js';
import { browserSuite, closeCleanPage, signedInPage } from './support/suite.js';
import { oggOpus, pdf, png } from '../media/support/samples.js';

interface Uploaded {
  id: string;
}

describe('media in the inbox', () => {
  const suite = browserSuite({ channel: 'sandbox', env: { FLOWCHAT_SANDBOX_STATUS_STEP_MS: '200' } });

  async function upload(bytes: Buffer, filename: string): Promise<Uploaded> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), filename);
    const response = await fetch(`${suite.server.url}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${suite.api.token}` }, body: form });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as Uploaded;
  }

  test('an agent sees the customer’s photo, voice note and document, and answers with an attached image', async () => {
    const customer = { phone: '+5581999990001', name: 'Lia Media' };
    const voice = await upload(oggOpus(6_000), 'note.ogg');
    await suite.api.request('POST', '/sandbox/inbound', { ...customer, media_id: voice.id, voice: true });
    const photo = await upload(png(64, [200, 60, 60]), 'box.png');
    await suite.api.request('POST', '/sandbox/inbound', { ...customer, media_id: photo.id, text: 'A caixa chegou amassada' });
    const invoice = await upload(pdf('NF 2231'), 'NF-2231.pdf');
    await suite.api.request('POST', '/sandbox/inbound', { ...customer, media_id: invoice.id });

    const { page, problems } = await signedInPage(suite);
    await page.getByRole('link', { name: /Lia Media/ }).click();
    const thread = page.getByRole('log', { name: 'Messages with Lia Media' });

    const thumbnail = thread.getByRole('img', { name: 'A caixa chegou amassada' });
    await thumbnail.waitFor();
    await eventually(async () => ((await thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth)) === 64 ? true : undefined), 'the thumbnail to load');
    const audio = thread.locator('audio');
    await audio.waitFor();
    await thread.getByText('Voice message').waitFor();
    const audioType = await audio.evaluate(async (element: HTMLAudioElement) => (await fetch(element.src)).headers.get('content-type'));
    assert.equal(audioType, 'audio/ogg', 'the player’s source is the voice note');
    await thread.getByRole('link', { name: /NF-2231\.pdf/ }).waitFor();

    await thumbnail.click();
    const viewer = page.getByRole('dialog', { name: 'A caixa chegou amassada' });
    await viewer.waitFor();
    await screenshot(page, 'media-viewer');
    await viewer.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('File to attach').setInputFiles({ name: 'replacement.png', mimeType: 'image/png', buffer: png(48, [40, 160, 90]) });
    const attachment = page.getByRole('region', { name: 'Attachment' });
    await attachment.getByRole('button', { name: 'Send image' }).waitFor();
    await attachment.getByLabel('Caption').fill('Caixa nova, sai hoje');
    await screenshot(page, 'media-attach');
    assert.deepEqual(await accessibilityViolations(page), [], 'accessibility of the thread with media');
    await attachment.getByRole('button', { name: 'Send image' }).click();
    await attachment.waitFor({ state: 'detached' });
    const sent = thread.getByRole('article').filter({ has: page.getByRole('img', { name: 'Caixa nova, sai hoje' }) });
    await sent.getByRole('img', { name: 'read' }).waitFor({ timeout: 30_000 });

    // Pasting a file attaches it too.
    await page.getByRole('textbox', { name: 'Message' }).evaluate((textarea, bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'pasted.pdf', { type: 'application/pdf' }));
      textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, [...pdf('pasted invoice')]);
    await attachment.getByRole('button', { name: 'Send document' }).click();
    await thread.getByRole('link', { name: /pasted\.pdf/ }).waitFor();

    // So does dropping one on the composer.
    await page.locator('.media-drop-zone').evaluate((zone, bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...png(16)]);
    await attachment.getByRole('button', { name: 'Send image' }).click();
    await thread.getByRole('img', { name: 'Image' }).last().waitFor();
    await screenshot(page, 'media-thread');
    await closeCleanPage(page, problems);
  });

  test('the sandbox’s simulated customer can send a photo', async () => {
    const { page, problems } = await signedInPage(suite);
    await sendAsSimulatedCustomer(page, { phone: '+5581999990002', name: 'Caio Foto', text: 'Olha o estado da caixa', file: { name: 'caixa.png', mimeType: 'image/png', buffer: png(32, [90, 90, 200]) } });
    await page.getByRole('link', { name: 'Open the conversation' }).click();
    await page.getByRole('log', { name: 'Messages with Caio Foto' }).getByRole('img', { name: 'Olha o estado da caixa' }).waitFor();
    await closeCleanPage(page, problems);
  });
});
