// Launches Debian's chromium through playwright-core (no browser download) and
// serves dist/ on 127.0.0.1, for the browser tests and the benchmark.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

export const WEB = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(WEB, 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function start() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST} is not built: run cargo xtask playground --build-only`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (cargo xtask test installs it)`);
  const server = await serve(DIST, 0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A page that fails the test on any console error or uncaught exception. */
export async function openPage(browser, url, problems) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.playground !== undefined);
  await page.evaluate(() => window.playground.ready);
  return page;
}

/** Types `text` line by line exactly (the editor's auto-indent replaced on each line). */
export async function typeExactly(page, text) {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      // Select any indentation the editor added: the typed line replaces it.
      await page.keyboard.press('Shift+Home');
    }
    if (line) await page.keyboard.type(line);
  }
}
