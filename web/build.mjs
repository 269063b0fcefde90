// Bundles the page into dist/: the editor (main.js), the worker that runs the
// WebAssembly module (worker.js), the HTML, the CSS and the optimised .wasm.
// `cargo xtask playground` runs wasm-bindgen and wasm-opt into build/pkg first.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const pkg = join(web, 'build', 'pkg');
const dist = join(web, 'dist');
if (!existsSync(join(pkg, 'ipsecconf_wasm_bg.wasm'))) {
  console.error('build/pkg/ipsecconf_wasm_bg.wasm is missing: run `cargo xtask playground --build-only`');
  process.exit(1);
}
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
copyFileSync(join(web, 'src', 'index.html'), join(dist, 'index.html'));
copyFileSync(join(web, 'src', 'style.css'), join(dist, 'style.css'));
console.log(`playground bundled into ${dist}`);
