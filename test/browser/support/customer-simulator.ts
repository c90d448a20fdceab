/** The sandbox's customer simulator on the dashboard, filled in and sent as a person would. */
import type { Page } from 'playwright-core';

export interface SimulatedMessage {
  readonly phone: string;
  readonly name: string;
  readonly text: string;
  readonly file?: { readonly name: string; readonly mimeType: string; readonly buffer: Buffer };
}

export async function sendAsSimulatedCustomer(page: Page, message: SimulatedMessage): Promise<void> {
  await page.getByRole('link', { name: "Simulate a customer's message" }).click();
  await page.getByLabel('Customer phone').fill(message.phone);
  await page.getByLabel('Customer name').fill(message.name);
  await page.getByLabel('Customer message').fill(message.text);
  if (message.file) await page.getByLabel(/Customer file/).setInputFiles(message.file);
  await page.getByRole('button', { name: 'Send as customer' }).click();
}
