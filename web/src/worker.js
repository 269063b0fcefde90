// Runs the WebAssembly module off the main thread, so that analysing a large
// paste never blocks typing. Messages: {id, type, ...}; replies: {id, result} or
// {id, error} (the wasm module's exceptions carry a message).
import init, { Playground } from '../build/pkg/ipsecconf_wasm.js';

const ready = init({ module_or_path: new URL('./ipsecconf_wasm_bg.wasm', import.meta.url) }).then(() => {
  warmUp();
  readyAt = performance.timeOrigin + performance.now();
});
/** When the module was compiled and warm (epoch ms), for the page's metrics. */
let readyAt;

/** One small analysis while the page's script still loads: the keyword catalogue
 * and the first-run code paths are then ready when the first real request comes. */
function warmUp() {
  const warm = new Playground();
  warm.setFile('ipsec.conf', 'conn %default\n\tikelifetime=8h\nconn a\n\talso=b\n\tleft=192.0.2.1\n\tright=%any\nconn b\n\tauto=add\n');
  warm.resolve('ipsec.conf', { limit: 1 });
  warm.highlight('ipsec.conf', 0, 100);
  warm.hover('ipsec.conf', 30);
  warm.free();
}
let playground;

/** The text of each file as last given to the module. */
const known = new Map();

/** Makes sure a request about `name` sees `text` (an update may still be queued). */
function sync(name, text) {
  if (text !== undefined && known.get(name) !== text) {
    playground.setFile(name, text);
    known.set(name, text);
  }
}

const handlers = {
  /** Stores changed files, then computes what the visible views need. */
  update({ files, changed, root, active, viewport, views, conns }) {
    if (files) {
      playground.setFiles(files);
      known.clear();
      for (const [name, text] of Object.entries(files)) known.set(name, text);
    }
    for (const [name, text] of Object.entries(changed ?? {})) sync(name, text);
    const started = performance.now();
    const resolved = playground.resolve(root, conns);
    if (!resolved.files.includes(active)) {
      // A file the root does not include: check it on its own as well.
      resolved.check.diagnostics.push(...playground.check(active).diagnostics);
    }
    const result = {
      resolved,
      highlight: playground.highlight(active, viewport[0], viewport[1]),
      tree: views.tree ? playground.syntaxTree(active) : null,
      format: views.format ? playground.format(views.format.text, views.format.options) : null,
    };
    result.workerMs = performance.now() - started;
    return result;
  },
  highlight: ({ name, from, to }) => playground.highlight(name, from, to),
  hover: ({ name, text, offset }) => (sync(name, text), playground.hover(name, offset)),
  completion: ({ name, text, offset }) => (sync(name, text), playground.completion(name, offset)),
  definition: ({ name, text, offset }) => (sync(name, text), playground.definition(name, offset)),
  format: ({ text, options }) => playground.format(text, options),
  readyAt: () => readyAt,
};

self.onmessage = async ({ data }) => {
  await ready;
  playground ??= new Playground();
  try {
    const handler = handlers[data.type];
    if (!handler) throw new Error(`unknown request ${data.type}`);
    self.postMessage({ id: data.id, result: handler(data) });
  } catch (error) {
    self.postMessage({ id: data.id, error: String(error?.message ?? error) });
  }
};
