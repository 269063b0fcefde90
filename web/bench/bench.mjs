// Playground figures in headless Chromium: .wasm size, first render, and
// keystroke → updated view on a 1,000-conn config. Prints them; asserts nothing
// (speed goals are benchmarks, not tests). Run after `cargo xtask playground --build-only`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { start, openPage, DIST } from '../test/chromium.js';

const LOADS = 7;
const KEYSTROKES = 40;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];

/** A config of `count` conns sharing a %default and an also= base, like a real gateway's. */
function bigConfig(count) {
  let text = 'config setup\n\tlogfile=/var/log/pluto.log\n\nconn %default\n\tikelifetime=8h\n\tkeyingtries=0\n\tike=aes256-sha2;dh19\n\n';
  text += 'conn base\n\tleft=192.0.2.1\n\tleftid=@gw.example.com\n\tleftcert=gw\n\n';
  for (let i = 0; i < count; i++) {
    text += `conn tunnel-${i}\n\talso=base\n\tleftsubnet=10.${i >> 8}.${i & 255}.0/24\n\tright=198.51.${i >> 8}.${i & 255}\n`;
    text += `\trightsubnet=172.16.${i & 255}.0/24\n\trightid=@peer-${i}.example.com\n\tauto=start\n\n`;
  }
  return text;
}

const wasm = readFileSync(join(DIST, 'ipsecconf_wasm_bg.wasm'));
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KB, ${(gzipSync(wasm, { level: 9 }).length / 1024).toFixed(0)} KB gzipped (budget 400 KB)`);

const env = await start();
const problems = [];
try {
  const firstRenders = [];
  const scriptStarts = [];
  const firstAnalyses = [];
  const wasmReadies = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await env.browser.newContext(); // a cold cache each time
    const page = await openPage(context, env.url, problems);
    await page.waitForFunction(() => window.playground.metrics.wasmReadyMs !== null);
    const [first, script, wasmReady, analysis] = await page.evaluate(() => {
      const { metrics } = window.playground;
      return [metrics.firstRenderMs, metrics.scriptStartMs, metrics.wasmReadyMs, metrics.firstAnalysisMs];
    });
    firstAnalyses.push(analysis);
    wasmReadies.push(wasmReady);
    firstRenders.push(first);
    scriptStarts.push(script);
    await context.close();
  }
  console.log(`first render (navigation start → the example text on screen (first contentful paint), cold cache, ${LOADS} loads): median ${median(firstRenders).toFixed(0)} ms, max ${Math.max(...firstRenders).toFixed(0)} ms (budget 300 ms)`);
  console.log(`first analysis (navigation start → live editor with diagnostics and conns shown): median ${median(firstAnalyses).toFixed(0)} ms, max ${Math.max(...firstAnalyses).toFixed(0)} ms; the page script starts at median ${median(scriptStarts).toFixed(0)} ms, the wasm module is compiled and warm at ${median(wasmReadies).toFixed(0)} ms`);

  const page = await openPage(env.browser, env.url, problems);
  const config = bigConfig(1000);
  await page.evaluate((text) => window.playground.loadFiles({ 'ipsec.conf': text }), config);
  await page.waitForFunction(() => window.playground.last?.resolved.defined >= 1000);
  // Type at the end of a value in the middle of the file, one key at a time.
  await page.evaluate(() => {
    const { view } = window.playground;
    const at = view.state.doc.toString().indexOf('rightid=@peer-500.example.com') + 'rightid=@peer-500'.length;
    view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    view.focus();
  });
  const before = await page.evaluate(() => window.playground.metrics.updates.length);
  for (let i = 0; i < KEYSTROKES; i++) {
    await page.keyboard.type('x');
    await page.waitForFunction((n) => window.playground.metrics.updates.length > n, before + i);
  }
  const updates = await page.evaluate((n) => window.playground.metrics.updates.slice(n), before);
  const latency = updates.map((u) => u.latencyMs);
  const worker = updates.map((u) => u.workerMs);
  console.log(`1,000-conn config (${(config.length / 1024).toFixed(0)} KB), keystroke → updated view, ${updates.length} keystrokes: median ${median(latency).toFixed(1)} ms, p95 ${p95(latency).toFixed(1)} ms (budget 50 ms); of which wasm analysis median ${median(worker).toFixed(1)} ms`);
  if (problems.length) console.log(`page problems: ${problems.join('; ')}`);
} finally {
  await env.close();
}
