// Bundles the page into dist/: the editor (main.js), the worker that runs the
// WebAssembly module (worker.js), the HTML, the CSS and the optimised .wasm.
// `cargo xtask playground` runs wasm-bindgen and wasm-opt into build/pkg first.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const pkg = join(web, 'build', 'pkg');
const dist = join(web, 'dist');
if (!existsSync(join(pkg, 'ipsecconf_wasm_bg.wasm'))) {
  console.error('build/pkg/ipsecconf_wasm_bg.wasm is missing: run `cargo xtask playground --build-only`');
  process.exit(1);
}
const wasmBindings = await import(pathToFileURL(join(pkg, 'ipsecconf_wasm.js')).href);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(web, 'src', 'main.js'), join(web, 'src', 'worker.js')],
  outdir: dist,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  loader: { '.conf': 'text' },
  logLevel: 'warning',
});
copyFileSync(join(pkg, 'ipsecconf_wasm_bg.wasm'), join(dist, 'ipsecconf_wasm_bg.wasm'));
writeFileSync(join(dist, 'index.html'), withStyle(withPrerender(readFileSync(join(web, 'src', 'index.html'), 'utf8'))));

/** The style sheet inline: a separate request would hold back the first paint (and the
 * scripts after it) by a round trip. */
function withStyle(html) {
  const link = '<link rel="stylesheet" href="style.css">';
  if (!html.includes(link)) throw new Error(`src/index.html lacks ${link}`);
  return html.replace(link, () => `<style>\n${readFileSync(join(web, 'src', 'style.css'), 'utf8')}</style>`);
}

/** The first example's ipsec.conf, highlighted by the same wasm module, in the editor's
 * place: the page shows it before the editor bundle has loaded, and the editor replaces it. */
function withPrerender(html) {
  const { initSync, Playground } = wasmBindings;
  initSync({ module: readFileSync(join(pkg, 'ipsecconf_wasm_bg.wasm')) });
  const text = readFileSync(join(web, 'examples', 'road-warrior', 'ipsec.conf'), 'utf8');
  const playground = new Playground();
  playground.setFile('ipsec.conf', text);
  const tokens = playground.highlight('ipsec.conf', 0, text.length);
  playground.free();
  const escape = (part) => part.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  let out = '';
  let at = 0;
  for (const token of tokens) {
    if (token.from < at) continue;
    out += escape(text.slice(at, token.from));
    out += `<span class="tok-${token.class}">${escape(text.slice(token.from, token.to))}</span>`;
    at = token.to;
  }
  out += escape(text.slice(at));
  const marker = '<div id="editor"></div>';
  if (!html.includes(marker)) throw new Error(`src/index.html lacks ${marker}`);
  return html.replace(marker, `<div id="editor"><pre id="prerender">${out}</pre></div>`);
}

console.log(`playground bundled into ${dist}`);
