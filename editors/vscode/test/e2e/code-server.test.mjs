// End-to-end test of the packaged extension in real VS Code (code-server), driven through
// headless Chromium with playwright-core. `cargo xtask test` sets the environment:
//   IPSECCONF_BIN   the ipsecconf binary the extension starts (`ipsecconf lsp`)
//   IPSECCONF_VSIX  the packaged extension
//   CODE_SERVER     the code-server launcher (its Node must be first on PATH)
//   CHROMIUM        the browser (Debian's /usr/bin/chromium)
// What is expected comes from the fixture and the `ipsecconf` CLI: hover must show what
// `ipsecconf explain` prints, format on save must give what `ipsecconf fmt` gives.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const fixture = new URL("../../../test_data/ipsec.conf", import.meta.url);
const timeout = 60_000;

function requiredEnv(name) {
  const value = process.env[name];
  assert.ok(value, `set ${name} (cargo xtask test does)`);
  return value;
}

const bin = requiredEnv("IPSECCONF_BIN");
const vsix = requiredEnv("IPSECCONF_VSIX");
const codeServer = requiredEnv("CODE_SERVER");
const chromiumPath = requiredEnv("CHROMIUM");

const cli = (args, input) => execFileSync(bin, args, { input, encoding: "utf8" });

const root = mkdtempSync(path.join(tmpdir(), "ipsecconf-code-server-"));
const userData = path.join(root, "user-data");
const extensions = path.join(root, "extensions");
const workspace = path.join(root, "workspace");
const confPath = path.join(workspace, "ipsec.conf");
const original = readFileSync(fixture, "utf8");

let server;
let serverLog = "";
let browser;
let page;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const settings = {
  "ipsecconf.serverPath": bin,
  "ipsecconf.indent": 4,
  "[ipsec-conf]": { "editor.formatOnSave": true },
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.ignoreRecommendations": true,
  "editor.hover.delay": 100,
  "chat.disableAIFeatures": true,
};

before(async () => {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(confPath, original);
  mkdirSync(path.join(userData, "User"), { recursive: true });
  writeFileSync(path.join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions, "--config", path.join(root, "config.yaml")];
  execFileSync(codeServer, [...common, "--install-extension", vsix], { stdio: "inherit" });

  const port = await freePort();
  server = spawn(
    codeServer,
    [
      ...common,
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      workspace,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      serverLog += chunk;
      if (/HTTP server listening on/.test(serverLog)) resolve();
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.once("exit", (code) => reject(new Error(`code-server exited (${code}):\n${serverLog}`)));
  });
  await listening;

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(timeout);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor();
  // Open ipsec.conf from the Explorer, as a person would.
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "ipsec.conf" }).dblclick();
  await page.locator(".monaco-editor .view-lines", { hasText: "conn tunnel" }).waitFor();
});

after(async () => {
  if (page && process.env.IPSECCONF_E2E_SCREENSHOT) {
    await page.screenshot({ path: process.env.IPSECCONF_E2E_SCREENSHOT });
  }
  await browser?.close();
  server?.kill();
  rmSync(root, { recursive: true, force: true });
});

test("ipsec.conf opens in the ipsec-conf language", async () => {
  await page.locator("#status\\.editor\\.mode", { hasText: "ipsec.conf" }).waitFor();
});

test("the TextMate grammar colours the file", async () => {
  // Monaco renders tokens as spans with mtkN colour classes: the section keyword and
  // its name must get different colours.
  const line = page.locator(".view-line", { hasText: "conn tunnel" });
  const keyword = line.locator("span > span", { hasText: /^conn$/ });
  const name = line.locator("span > span", { hasText: /^tunnel$/ });
  assert.notEqual(await keyword.getAttribute("class"), await name.getAttribute("class"));
});

test("the server's diagnostic shows as a squiggle and in Problems", async () => {
  await page.locator(".monaco-editor .squiggly-error").first().waitFor();
  await page.keyboard.press("Control+Shift+M");
  const problems = page.locator(".markers-panel");
  await problems.locator(".monaco-list-row", { hasText: "no-such-conn" }).first().waitFor();
  const text = await problems.innerText();
  assert.match(text, /no-such-conn/);
});

test("hover on a keyword shows its ipsec.conf(5) text", async () => {
  // `ipsecconf explain` prints a heading, a fact list, then the man page paragraph.
  const explained = cli(["explain", "ikelifetime"]);
  const paragraph = explained.split("\n\n").find((block) => /^[a-z]/i.test(block) && !block.startsWith("- "));
  assert.ok(paragraph, `no man page paragraph in:\n${explained}`);
  const plain = paragraph.split(/[`*_[(“]/)[0].trim();
  assert.ok(plain.length > 20, `too little plain text to look for: ${plain}`);

  // Glide onto the word (a single jump may not count as hovering) and wait; Monaco
  // re-renders lines as decorations arrive, so find the word again on each try.
  const keyword = page.locator(".view-line span", { hasText: /^ikelifetime$/ }).filter({ visible: true }).first();
  const hover = page.locator(".monaco-hover", { hasText: plain }).first();
  const deadline = Date.now() + timeout;
  while (!(await hover.isVisible()) && Date.now() < deadline) {
    const box = await keyword.boundingBox().catch(() => null);
    if (box) {
      await page.mouse.move(box.x - 30, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 10 });
    }
    await hover.waitFor({ state: "visible", timeout: 3000 }).catch(() => {});
  }
  assert.ok(await hover.isVisible(), `no hover with "${plain}" over ikelifetime`);
  assert.match(await hover.innerText(), /ikelifetime/);
  await page.keyboard.press("Escape");
});

test("format on save formats through the server with ipsecconf.indent", async () => {
  // Away from the hover, then into the editor: to the end of the first line.
  await page.mouse.move(5, 450);
  await page.locator(".monaco-hover").first().waitFor({ state: "hidden" });
  await page.locator(".view-line", { hasText: "conn tunnel" }).click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("End");
  const firstLine = original.split("\n")[0];
  await page.keyboard.type(" (edited)");
  const edited = original.replace(firstLine, `${firstLine} (edited)`);
  const expected = cli(["fmt", "--indent-spaces", "4", "-"], edited);
  assert.notEqual(expected, edited, "the fixture must need formatting");
  // VS Code drops a save's formatting when the text changes while it runs: on a loaded
  // machine the last typed keys can reach the editor late, so wait until it shows them.
  await page.locator(".view-line", { hasText: "(edited)" }).waitFor();
  await page.keyboard.press("Control+S");
  // Longer than VS Code's own limit for save participants (files.participants.timeout,
  // 60 s), so that a server that never answers shows as a late, unformatted save.
  const started = Date.now();
  const deadline = started + timeout + 15_000;
  let onDisk = readFileSync(confPath, "utf8");
  let savedAfter = null;
  while (onDisk !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    onDisk = readFileSync(confPath, "utf8");
    if (savedAfter === null && onDisk !== original) savedAfter = Date.now() - started;
  }
  assert.equal(onDisk, expected, `the file was saved ${savedAfter ?? "never"} ms after Control+S, not formatted as expected`);
});

/** Opens the Settings editor, as a person would, showing the settings that match `query`. */
async function openSettings(query) {
  const search = page.locator(".settings-editor .suggest-input-container");
  if (!(await search.isVisible())) {
    await page.keyboard.press("F1");
    await page.locator(".quick-input-widget input").waitFor();
    await page.keyboard.type("Preferences: Open User Settings");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: /^Preferences: Open User Settings$/ }).first().click();
  }
  await search.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(query);
}

test("a changed setting reaches the running server (warnings off)", async () => {
  // The fixture sets logfile twice in config setup: a warning, beside the also= error.
  await page.locator(".monaco-editor .squiggly-warning").first().waitFor();
  await openSettings("ipsecconf.warnings");
  await page.locator(".settings-editor .setting-item-contents", { hasText: "Warnings" }).locator(".setting-value-checkbox").click();
  await page.locator(".monaco-editor .squiggly-warning").first().waitFor({ state: "detached" });
  assert.ok((await page.locator(".monaco-editor .squiggly-error").count()) > 0, "the error must stay");
});

test("a missing server binary gets a clear message", async () => {
  // Through the Settings editor: the extension restarts the server.
  await openSettings("ipsecconf.serverPath");
  // serverPath is machine-overridable: in a remote window it lives in the Remote scope.
  await page.locator(".settings-editor .settings-tabs-widget .action-label", { hasText: /^Remote/ }).click();
  const input = page.locator(".settings-editor .setting-item-contents", { hasText: "Server Path" }).locator("input");
  await input.fill(path.join(root, "no-such-ipsecconf"));
  await input.press("Enter");
  await page
    .locator(".notifications-toasts .notification-list-item", { hasText: "cannot find the language server" })
    .first()
    .waitFor();
});
