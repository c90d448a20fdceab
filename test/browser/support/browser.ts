/**
 * Debian's Chromium driven by playwright-core (browser downloads do not work here), with every
 * console error and uncaught exception collected so each test can assert there were none.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from './flowchat-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/browser/artifacts');
const SCREENSHOTS = join(ROOT, 'docs/screenshots');

export interface TestBrowser {
  readonly browser: Browser;
  /** A page in a fresh context; `locale` is the browser's language (English unless given). */
  newPage(options?: { readonly locale?: string }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and page errors seen so far, minus those a test declared expected. */
  problems(): string[];
  /** Marks console errors matching `pattern` as expected, e.g. the 401 of a wrong password. */
  expectConsoleError(pattern: RegExp): void;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async newPage({ locale = 'en-US' } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems: string[] = [];
      const expected: RegExp[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = `${message.text()} ${message.location().url}`;
        if (!expected.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return {
        page,
        context,
        problems: () => [...problems],
        expectConsoleError: (pattern) => expected.push(pattern),
      };
    },
    close: () => browser.close(),
  };
}

/**
 * Saves a screenshot as a test artifact (test/browser/artifacts, not committed). With
 * UPDATE_SCREENSHOTS=1 it also refreshes the README's copy in docs/screenshots; otherwise every
 * test run would leave changed images in the working tree.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    copyFileSync(file, join(SCREENSHOTS, `${name}.png`));
  }
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
