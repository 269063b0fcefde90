// The page in headless Chromium: type a config, see the resolved conn and a
// diagnostic, hover a keyword, format, share the URL and reload it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, typeExactly, WEB } from '../chromium.js';

let env;
const problems = [];
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const TYPED = `conn %default
  ikelifetime=8h
  keyingtries=0

conn base
  left=192.0.2.1
  leftid=@gw.example.com

conn office
  also=base
  also=nowhere
  right=198.51.100.7
  auto=start`;

const editorText = (page) => page.evaluate(() => window.playground.view.state.doc.toString());

test('type, resolve, diagnose, hover, format, share and reload', { timeout: 90_000 }, async () => {
  const page = await openPage(env.browser, env.url, problems);

  // The default example is rendered first.
  await page.locator('.card[data-conn="roadwarriors"]').waitFor();
  assert.equal(await page.locator('#files .file').count(), 2, 'the example has an included file');

  // Replace ipsec.conf with a typed config using %default and also=.
  await page.click('#files .file[data-file="ipsec.conf"]');
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await typeExactly(page, TYPED);
  assert.equal(await editorText(page), TYPED);

  // The resolved conn, each value with where it came from.
  const office = page.locator('.card[data-conn="office"]');
  await office.waitFor();
  const row = (key) => office.locator('tr', { has: page.locator('td.key', { hasText: new RegExp(`^${key}$`) }) });
  await assert.doesNotReject(row('left').locator('td.via', { hasText: 'also=base' }).waitFor({ timeout: 5000 }));
  assert.equal(await row('left').locator('td.value').textContent(), '192.0.2.1');
  assert.equal(await row('ikelifetime').locator('td.via').textContent(), '%default');
  assert.equal(await row('right').locator('.loc').textContent(), 'ipsec.conf:12');

  // The diagnostic: inline in the editor and in the list.
  await page.locator('.cm-lintRange-error').first().waitFor();
  assert.equal(await page.locator('.cm-lintRange-error').first().textContent(), 'nowhere');
  await page.click('[data-tab="diagnostics"]');
  const diagnostic = page.locator('#diag-list .diag.error').first();
  await diagnostic.waitFor();
  assert.match(await diagnostic.textContent(), /also-missing/);
  assert.match(await diagnostic.locator('.loc').textContent(), /^ipsec\.conf:11$/);

  // Hover a keyword: its ipsec.conf(5) docs.
  const keyword = page.locator('.cm-line', { hasText: 'keyingtries=0' }).locator('.tok-key');
  await keyword.hover();
  const tooltip = page.locator('.cm-tooltip-hover');
  await tooltip.waitFor({ timeout: 5000 });
  assert.match(await tooltip.textContent(), /keyingtries/);
  assert.match(await tooltip.textContent(), /attempts/i, 'the man page text');
  await page.mouse.move(0, 0);

  // Format: a diff, then the button rewrites the editor.
  await page.click('[data-tab="format"]');
  await page.locator('#format-diff .diff-insert').first().waitFor();
  assert.equal(await page.locator('#format-diff .diff-insert').first().textContent(), '+\tikelifetime=8h');
  await page.click('#format-apply');
  await page.locator('#format-diff .empty', { hasText: 'Already formatted.' }).waitFor();
  const formatted = await editorText(page);
  assert.equal(formatted, TYPED.replaceAll('\n  ', '\n\t') + '\n');

  // Share: the URL holds the files; a fresh page opened on it shows them.
  await page.click('#share');
  await page.waitForFunction(() => location.hash.startsWith('#files='));
  const shared = page.url();
  await page.click('[data-tab="conns"]');
  mkdirSync(join(WEB, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(WEB, 'test-results', 'playground.png') });
  await page.close();

  const reloaded = await openPage(env.browser, shared, problems);
  await reloaded.locator('.card[data-conn="office"]').waitFor();
  assert.equal(await editorText(reloaded), formatted);
  assert.deepEqual(await reloaded.evaluate(() => Object.keys(window.playground.files).sort()), ['ipsec.conf', 'ipsec.d/psk.conf']);
  await reloaded.close();
  assert.deepEqual(problems, []);
});

test('a second file is included; a damaged link is an error message', { timeout: 60_000 }, async () => {
  const page = await openPage(env.browser, env.url, problems);
  await page.selectOption('#examples', 'host-to-host');
  await page.locator('.card[data-conn="west-east"]').waitFor();
  await page.fill('#new-file', 'ipsec.d/extra.conf');
  await page.click('#add-file button');
  await page.locator('#files .file[data-file="ipsec.d/extra.conf"][aria-selected="true"]').waitFor();
  // Not included yet: its conn is not among the resolved ones.
  assert.equal(await page.locator('.card[data-conn="extra"]').count(), 0);
  await page.click('#files .file[data-file="ipsec.conf"]');
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await typeExactly(page, '\ninclude ipsec.d/*.conf');
  const extra = page.locator('.card[data-conn="extra"]');
  await extra.waitFor();
  assert.equal(await extra.locator('h3 .loc').textContent(), 'ipsec.d/extra.conf:2');

  await page.goto(env.url + '#files=AAAA');
  await page.reload();
  await page.locator('#error', { hasText: 'cannot read the shared link' }).waitFor();
  await page.close();
  problems.length = 0; // the damaged link is reported on the page, not as a console error
});
