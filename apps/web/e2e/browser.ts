/**
 * Chromium for the end-to-end tests: Debian's /usr/bin/chromium through playwright-core
 * (`npx playwright install` cannot run here). Screenshots go to test-results/ (ignored).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const RESULTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test-results');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function shot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Sign in through the login form. */
export async function signIn(page: Page, base: string, username: string, password = 'yuanping-demo'): Promise<void> {
  await page.goto(base + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('whoami').waitFor();
}

export type { Browser, Page };
