// The wasm exports in Node, against the built, optimised .wasm (build/pkg, what
// the page ships). Run after `cargo xtask playground --build-only`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Playground } from '../../build/pkg/ipsecconf_wasm.js';
import { encodeFiles, decodeFiles } from '../../src/share.js';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmPath = join(web, 'build', 'pkg', 'ipsecconf_wasm_bg.wasm');
assert.ok(existsSync(wasmPath), `${wasmPath} is missing: run cargo xtask playground --build-only`);
initSync({ module: readFileSync(wasmPath) });

function exampleFiles(name) {
  const dir = join(web, 'examples', name);
  const files = {};
  const walk = (sub) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const relative = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else files[relative] = readFileSync(join(dir, relative), 'utf8');
    }
  };
  walk('');
  return files;
}

const isPlainObject = (value) => Object.getPrototypeOf(value) === Object.prototype;

test('resolve gives plain objects with provenance across an include', () => {
  const playground = new Playground();
  playground.setFiles(exampleFiles('road-warrior'));
  const resolved = playground.resolve('ipsec.conf');
  assert.ok(isPlainObject(resolved) && isPlainObject(resolved.conns[0]) && isPlainObject(resolved.conns[0].values[0].via));
  assert.deepEqual(resolved.files.slice(0, 2), ['ipsec.conf', 'ipsec.d/psk.conf']);
  assert.deepEqual(resolved.check, { diagnostics: [], errors: 0, warnings: 0 });
  const one = playground.resolve('ipsec.conf', { filter: 'PSK', limit: 1 });
  assert.deepEqual([one.conns.map((c) => c.name), one.matching, one.defined], [['roadwarriors-psk'], 1, 3]);
  assert.throws(() => playground.resolve('ipsec.conf', { limit: 'x' }), /invalid resolve request/);
  const psk = resolved.conns.find((c) => c.name === 'roadwarriors-psk');
  assert.equal(psk.span.file, 'ipsec.d/psk.conf');
  const left = psk.values.find((v) => v.key === 'left');
  assert.deepEqual([left.value, left.via.label, left.span.file], ['192.0.2.1', 'also=gateway', 'ipsec.conf']);
  const ike = psk.values.find((v) => v.key === 'ike');
  assert.deepEqual([ike.via.kind, ike.section], ['default', '%default']);
});

test('every example checks clean', () => {
  for (const name of readdirSync(join(web, 'examples'))) {
    const playground = new Playground();
    playground.setFiles(exampleFiles(name));
    const check = playground.check('ipsec.conf');
    assert.deepEqual(check.diagnostics, [], name);
  }
});

test('diagnostics carry code, severity and UTF-16 spans', () => {
  const playground = new Playground();
  const text = '# 😀\nconn a\n\tleft=1.2.3.4\n\tright=%any\n\talso=missing\n';
  playground.setFiles({ 'ipsec.conf': text });
  const [d] = playground.check('ipsec.conf').diagnostics;
  assert.equal(d.code, 'also-missing');
  assert.equal(d.severity, 'error');
  assert.equal(text.slice(d.span.from, d.span.to).includes('missing'), true, JSON.stringify(d));
  assert.equal(d.span.line, 5);
});

test('errors are exceptions with a message, never traps', () => {
  const playground = new Playground();
  assert.throws(() => playground.check('nope.conf'), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && /no file named "nope.conf"/.test(e.message));
  assert.throws(() => playground.setFiles(42), (e) => e instanceof Error && /invalid files/.test(e.message));
  assert.throws(() => playground.setFiles({ 'a.conf': 7 }), /invalid files/);
  assert.throws(() => playground.format('conn a\n', { indent: 'lots' }), /indent must be/);
  // Still usable afterwards.
  playground.setFile('ipsec.conf', 'conn a\n\tleft=1.2.3.4\n\tright=%any\n');
  assert.equal(playground.resolve('ipsec.conf').conns[0].name, 'a');
});

test('format returns text and a diff; syntax tree is lossless; highlight covers a range', () => {
  const playground = new Playground();
  const text = 'conn a\n  left = 1.2.3.4\n';
  const formatted = playground.format(text, { indent: '4', alignEquals: false });
  assert.equal(formatted.text, 'conn a\n    left=1.2.3.4\n');
  assert.deepEqual(formatted.hunks[0].lines.map((l) => l.tag), ['equal', 'delete', 'insert']);
  assert.equal(playground.format(formatted.text, undefined).changed, true, 'default indent is a tab');
  playground.setFile('ipsec.conf', text);
  const tree = playground.syntaxTree('ipsec.conf');
  const flat = (node) => (node.text !== null ? node.text : node.children.map(flat).join(''));
  assert.equal(flat(tree), text);
  const tokens = playground.highlight('ipsec.conf', 7, 30);
  assert.deepEqual(tokens.map((t) => t.class), ['key', 'operator', 'value']);
});

test('a 1 MB paste of arbitrary bytes answers', () => {
  const playground = new Playground();
  // xorshift32: half the characters from the syntax's own, half anywhere below the surrogates.
  const special = ' \t\r\n="{}#%conf';
  let seed = 2463534242;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const chars = [];
  while (chars.length < 1 << 20) {
    const r = next();
    chars.push(r & 1 ? special[(r >>> 1) % special.length] : String.fromCharCode((r >>> 1) % 0xd800));
  }
  const junk = chars.join('');
  playground.setFile('ipsec.conf', junk);
  const resolved = playground.resolve('ipsec.conf');
  assert.ok(resolved.check.diagnostics.length > 0);
  assert.ok(playground.highlight('ipsec.conf', 0, 1000).length > 0);
  assert.equal(typeof playground.format(junk, null).text, 'string');
});

test('a share link round-trips the files', async () => {
  const files = { 'ipsec.conf': 'conn é\n\tleft=1\n', 'ipsec.d/x.conf': '' };
  const hash = await encodeFiles(files);
  assert.match(hash, /^#files=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeFiles(hash), files);
  assert.equal(await decodeFiles('#other'), null);
  await assert.rejects(decodeFiles('#files=AAAA'));
});

test('hover, completion and definition (ide) through the exports', () => {
  const playground = new Playground();
  playground.setFiles({
    'ipsec.conf': 'conn %default\n\tkeyingtries=%forever\nconn base\n\tleft=192.0.2.1\ninclude ipsec.d/*.conf\n',
    'ipsec.d/x.conf': 'conn x\n\talso=base\n\tright=%any\n\tike\n',
  });
  const hover = playground.hover('ipsec.conf', 17);
  assert.equal('conn %default\n\tkeyingtries=%forever\n'.slice(hover.from, hover.to), 'keyingtries');
  assert.match(hover.markdown, /keyingtries/);
  assert.equal(playground.hover('ipsec.conf', 0).markdown.length > 0, true, 'the conn keyword has docs');
  const items = playground.completion('ipsec.d/x.conf', 'conn x\n\talso=base\n\tright=%any\n\tike'.length);
  assert.ok(items.some((i) => i.label === 'ike' && i.kind === 'keyword'), JSON.stringify(items.slice(0, 3)));
  assert.ok(items.every((i) => i.from === 'conn x\n\talso=base\n\tright=%any\n\t'.length));
  const [target] = playground.definition('ipsec.d/x.conf', 'conn x\n\talso=b'.length);
  assert.deepEqual([target.file, target.line], ['ipsec.conf', 3]);
  assert.equal(playground.hover('ipsec.conf', 1e9), null);
});
