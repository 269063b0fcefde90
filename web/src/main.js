// The playground page: a CodeMirror editor beside the views of the analysis the
// worker computes with the WebAssembly module (resolved conns, diagnostics,
// formatted output, syntax tree).
import {
  EditorView, Decoration, keymap, hoverTooltip, lineNumbers, highlightActiveLineGutter, highlightSpecialChars,
  drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine,
} from '@codemirror/view';
import { autocompletion, snippet, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { renderMarkdown } from './markdown.js';
import { history as undoHistory, defaultKeymap, historyKeymap, indentWithTab } from '@codemirror/commands';
import { indentUnit } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, StateEffect, StateField, ChangeSet } from '@codemirror/state';
import { setDiagnostics, lintGutter, lintKeymap } from '@codemirror/lint';
import { EXAMPLES } from './examples.js';
import { encodeFiles, decodeFiles } from './share.js';
import { h, clear } from './dom.js';

const ROOT = 'ipsec.conf';
/** Conn cards shown before "show all": building thousands of cards costs more than a keystroke may. */
const CARD_LIMIT = 50;
/** Syntax tree lines shown at most. */
const TREE_LIMIT = 4000;

// ------------------------------------------------------------ worker requests

const scriptStartMs = performance.now();
// index.html starts the worker before this bundle loads, so the wasm compiles meanwhile.
const worker = window.earlyWorker ?? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const waiting = new Map();
let nextId = 1;
worker.onmessage = ({ data }) => {
  const { resolve, reject } = waiting.get(data.id);
  waiting.delete(data.id);
  if ('error' in data) reject(new Error(data.error));
  else resolve(data.result);
};
function request(type, fields) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, type, ...fields });
  });
}

// ------------------------------------------------------------ state

const files = {}; // name -> text (the active file's text is synced before each request)
const states = new Map(); // name -> EditorState, so each file keeps its undo history
let active = ROOT;
let last = null; // the last update result
let activeTab = 'conns';
/** firstRenderMs: the example text on screen (pre-rendered, or in the editor for a shared link);
 * firstAnalysisMs: the editor live with the worker's first analysis (diagnostics, conns) shown. */
const metrics = { scriptStartMs, wasmReadyMs: null, firstRenderMs: null, firstAnalysisMs: null, updates: [] };
const prerendered = document.getElementById('prerender');
if (prerendered && !document.documentElement.classList.contains('shared-link')) {
  // The page's first contentful frame shows the example: pre-rendered, or in the editor if this
  // script happened to run before the first paint.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntriesByName('first-contentful-paint')) metrics.firstRenderMs ??= entry.startTime;
  }).observe({ type: 'paint', buffered: true });
}
let firstRendered;
const ready = new Promise((resolve) => (firstRendered = resolve));

// ------------------------------------------------------------ highlighting from wasm tokens

const setTokens = StateEffect.define();
const tokenMarks = {};
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    decorations = decorations.map(tr.changes);
    for (const effect of tr.effects) if (effect.is(setTokens)) decorations = effect.value;
    return decorations;
  },
  provide: (field) => EditorView.decorations.from(field),
});
function tokenDecorations(tokens, changes, length) {
  const ranges = [];
  for (const token of tokens) {
    const from = changes.mapPos(token.from, 1);
    const to = changes.mapPos(token.to, -1);
    if (from >= to || to > length) continue;
    const mark = (tokenMarks[token.class] ??= Decoration.mark({ class: `tok-${token.class}` }));
    ranges.push(mark.range(from, to));
  }
  return Decoration.set(ranges, true);
}

// ------------------------------------------------------------ updates, coalesced

let inFlight = false;
let dirty = false;
let sendAllFiles = true;
const changedFiles = new Set();
let changesSinceSend = null; // edits to the active file made while a request is in flight
let pendingSince = null; // time of the oldest edit not yet shown

function schedule() {
  dirty = true;
  if (!inFlight) send();
}

async function send() {
  dirty = false;
  inFlight = true;
  files[active] = view.state.doc.toString();
  const message = {
    root: ROOT,
    active,
    files: sendAllFiles ? { ...files } : null,
    changed: sendAllFiles ? null : Object.fromEntries([...changedFiles].map((name) => [name, files[name]])),
    viewport: [view.viewport.from, view.viewport.to],
    conns: {
      filter: document.getElementById('conn-filter').value,
      limit: activeTab !== 'conns' ? 0 : showAllConns ? null : CARD_LIMIT,
      implicit: document.getElementById('show-implicit').checked,
    },
    views: {
      tree: activeTab === 'tree',
      format: activeTab === 'format' ? { text: files[active], options: formatOptions() } : null,
    },
  };
  sendAllFiles = false;
  changedFiles.clear();
  const since = pendingSince;
  pendingSince = null;
  const sentFile = active;
  changesSinceSend = ChangeSet.empty(view.state.doc.length);
  let result;
  try {
    result = await request('update', message);
  } catch (error) {
    showError(`analysis failed: ${error.message}`);
  }
  inFlight = false;
  if (result && sentFile === active) {
    last = result;
    render(result, changesSinceSend);
    const now = performance.now();
    if (metrics.firstAnalysisMs === null) {
      metrics.firstAnalysisMs = now;
      firstRendered();
      request('readyAt').then((at) => (metrics.wasmReadyMs = at - performance.timeOrigin));
    }
    if (since !== null) metrics.updates.push({ latencyMs: now - since, workerMs: result.workerMs });
  }
  if (dirty) send();
}

function formatOptions() {
  return { indent: document.getElementById('indent').value, alignEquals: document.getElementById('align').checked };
}

// ------------------------------------------------------------ the editor

const view = new EditorView({ parent: document.getElementById('editor') });

/** codemirror's basicSetup without what needs a CodeMirror language (folding, its highlighting,
 * re-indentation, bracket matching): the highlighting comes from the wasm module. */
const editing = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  undoHistory(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  closeBrackets(),
  rectangularSelection(),
  crosshairCursor(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
];

function createState(text) {
  return EditorState.create({
    doc: text,
    extensions: [
      editing,
      keymap.of([indentWithTab]),
      indentUnit.of('\t'),
      lintGutter(),
      highlightField,
      hoverTooltip(hoverSource, { hoverTime: 300 }),
      autocompletion({ override: [completionSource] }),
      keymap.of([{ key: 'F12', run: () => (definitionAt(view.state.selection.main.head), true) }]),
      EditorView.domEventHandlers({
        mousedown(event, editor) {
          if (!(event.ctrlKey || event.metaKey)) return false;
          const pos = editor.posAtCoords({ x: event.clientX, y: event.clientY });
          if (pos === null) return false;
          event.preventDefault();
          definitionAt(pos);
          return true;
        },
      }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          pendingSince ??= performance.now();
          if (changesSinceSend) changesSinceSend = changesSinceSend.compose(update.changes);
          changedFiles.add(active);
          schedule();
        } else if (update.viewportChanged) {
          refreshHighlight();
        }
      }),
    ],
  });
}

// ------------------------------------------------------------ hover, completion, definition (ide, in wasm)

/** A request about the active file at `pos`, with its current text. */
function askAt(type, pos) {
  return request(type, { name: active, text: view.state.doc.toString(), offset: pos });
}

async function hoverSource(editor, pos) {
  const doc = editor.state.doc;
  const hover = await askAt('hover', pos).catch(() => null);
  if (!hover || editor.state.doc !== doc) return null;
  return { pos: hover.from, end: hover.to, above: true, create: () => ({ dom: renderMarkdown(hover.markdown) }) };
}

const COMPLETION_TYPES = { section: 'keyword', keyword: 'property', value: 'constant', conn: 'variable', file: 'text', folder: 'namespace' };

/** LSP snippet syntax (`$0`, `$1`, `${1:x}`) to CodeMirror's (`${}`, `${1}`, `${1:x}`). */
const toTemplate = (text) => text.replace(/\$(\d+)/g, (_, n) => (n === '0' ? '${}' : `\${${n}}`));

async function completionSource(context) {
  const items = await askAt('completion', context.pos).catch(() => []);
  if (!items.length) return null;
  const from = Math.min(...items.map((i) => i.from));
  return {
    from,
    to: Math.max(...items.map((i) => i.to)),
    validFor: /^[\w%.-]*$/,
    options: items.map((item) => ({
      label: item.label,
      type: COMPLETION_TYPES[item.kind],
      detail: item.detail ?? undefined,
      info: item.documentation ? () => renderMarkdown(item.documentation) : undefined,
      boost: item.deprecated ? -1 : 0,
      apply: item.isSnippet
        ? (editor, completion, f, t) => snippet(toTemplate(item.insertText))(editor, completion, f, t)
        : item.insertText,
    })),
  };
}

async function definitionAt(pos) {
  const spans = await askAt('definition', pos).catch((error) => (showError(error.message), []));
  if (spans.length) goTo(spans[0]);
}

async function refreshHighlight() {
  const name = active;
  const doc = view.state.doc;
  const { from, to } = view.viewport;
  if (inFlight || dirty) return; // the coming update brings fresh tokens
  const tokens = await request('highlight', { name, from, to });
  if (name === active && view.state.doc === doc) {
    view.dispatch({ effects: setTokens.of(tokenDecorations(tokens, ChangeSet.empty(doc.length), doc.length)) });
  }
}

function setActive(name) {
  if (name === active) return;
  files[active] = view.state.doc.toString();
  states.set(active, view.state);
  active = name;
  view.setState(states.get(name) ?? createState(files[name]));
  renderFileTabs();
  changedFiles.add(name);
  schedule();
}

/** Replaces every file (an example, a shared link). */
function loadFiles(newFiles, activeName = ROOT) {
  if (prerendered?.isConnected) {
    prerendered.remove();
    if (document.documentElement.classList.contains('shared-link')) {
      // The pre-rendered text was hidden: the editor shows the shared text first, in the next frame.
      requestAnimationFrame(() => (metrics.firstRenderMs ??= performance.now()));
    }
  }
  for (const name of Object.keys(files)) delete files[name];
  Object.assign(files, newFiles);
  files[ROOT] ??= '';
  states.clear();
  active = activeName in files ? activeName : ROOT;
  view.setState(createState(files[active]));
  sendAllFiles = true;
  renderFileTabs();
  schedule();
}

function goTo(span) {
  if (!(span.file in files)) return;
  setActive(span.file);
  const length = view.state.doc.length;
  view.dispatch({
    selection: { anchor: Math.min(span.from, length), head: Math.min(span.to, length) },
    effects: EditorView.scrollIntoView(Math.min(span.from, length), { y: 'center' }),
  });
  view.focus();
}

// ------------------------------------------------------------ rendering

function render(result, changes) {
  const length = view.state.doc.length;
  const map = (pos, assoc) => Math.min(changes.mapPos(pos, assoc), length);
  const diagnostics = result.resolved.check.diagnostics
    .filter((d) => d.span.file === active)
    .map((d) => {
      const from = map(d.span.from, 1);
      return { from, to: Math.max(from, map(d.span.to, -1)), severity: d.severity, message: `${d.message} [${d.code}]` };
    });
  view.dispatch(setDiagnostics(view.state, diagnostics), {
    effects: setTokens.of(tokenDecorations(result.highlight, changes, length)),
  });
  renderStatus(result);
  renderTab();
}

function renderStatus(result) {
  const { check } = result.resolved;
  const count = result.resolved.defined;
  document.getElementById('status').textContent =
    `${count} conn${count === 1 ? '' : 's'} · ${check.errors} error${check.errors === 1 ? '' : 's'} · ` +
    `${check.warnings} warning${check.warnings === 1 ? '' : 's'} · analysed in ${result.workerMs.toFixed(1)} ms`;
  document.querySelector('[data-tab="diagnostics"]').textContent = `Diagnostics (${check.diagnostics.length})`;
}

function renderTab() {
  for (const button of document.querySelectorAll('#tabs button')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === activeTab));
  }
  for (const panel of document.querySelectorAll('.panel')) panel.hidden = panel.id !== `panel-${activeTab}`;
  if (!last) return;
  if (activeTab === 'conns') renderConns(last.resolved);
  else if (activeTab === 'diagnostics') renderDiagnostics(last.resolved.check);
  else if (activeTab === 'format' && last.format) renderFormat(last.format);
  else if (activeTab === 'tree' && last.tree) renderTree(last.tree);
}

function spanLink(span) {
  const link = h('a', { href: '#', class: 'loc', title: 'show in the editor' }, `${span.file}:${span.line}`);
  link.onclick = (event) => {
    event.preventDefault();
    goTo(span);
  };
  return link;
}

let showAllConns = false;
let renderedConns = null;
function renderConns(resolved) {
  // The worker sends the conns that match the filter, up to the limit.
  const panel = document.getElementById('conn-list');
  const query = document.getElementById('conn-filter').value.trim();
  const shown = resolved.conns;
  // Typing rarely changes the cards shown: rebuild them only when they differ.
  const signature = JSON.stringify([resolved.setup, shown, resolved.matching, query, showAllConns]);
  if (signature === renderedConns) return;
  renderedConns = signature;
  const cards = [];
  if (resolved.setup.length) cards.push(card('config setup', null, [], resolved.setup));
  for (const conn of shown) cards.push(card(`conn ${conn.name}`, conn.span, conn.also, conn.values, conn));
  if (shown.length < resolved.matching) {
    const more = h('button', { class: 'more' }, `Show all ${resolved.matching} conns`);
    more.onclick = () => {
      showAllConns = true;
      schedule();
    };
    cards.push(more);
  }
  if (!cards.length) cards.push(h('p', { class: 'empty' }, query ? 'No conn matches the filter.' : 'No conns yet.'));
  clear(panel).append(...cards);
}

function card(title, span, also, values, conn) {
  const badges = [];
  if (conn?.implicit) badges.push(h('span', { class: 'badge' }, 'implicit'));
  if (conn?.overridesImplicit) badges.push(h('span', { class: 'badge' }, 'overrides an implicit conn'));
  const rows = values.map((v) =>
    h(
      'tr',
      { class: `via-${v.via.kind}` },
      h('td', { class: 'key' }, v.key),
      h('td', { class: 'value' }, v.value),
      h('td', { class: 'via' }, v.via.kind === 'own' ? '' : v.via.label),
      h('td', {}, spanLink(v.span)),
    ),
  );
  return h(
    'section',
    { class: 'card', 'data-conn': conn?.name ?? '' },
    h('h3', {}, title, ...badges, span ? spanLink(span) : ''),
    also.length ? h('p', { class: 'also' }, `also: ${also.join(', ')}`) : '',
    h('table', {}, h('tbody', {}, ...rows)),
  );
}

function renderDiagnostics(check) {
  const items = check.diagnostics.map((d) =>
    h(
      'li',
      { class: `diag ${d.severity}` },
      h('span', { class: 'sev' }, d.severity),
      ' ',
      spanLink(d.span),
      ' ',
      h('span', { class: 'message' }, d.message),
      ' ',
      h('code', {}, d.code),
      ...d.related.map((r) => h('div', { class: 'related' }, spanLink(r.span), ' ', r.message)),
    ),
  );
  const list = document.getElementById('diag-list');
  clear(list).append(...(items.length ? items : [h('li', { class: 'empty' }, 'No problems found.')]));
}

function renderFormat(format) {
  const out = document.getElementById('format-diff');
  if (!format.changed) {
    clear(out).append(h('p', { class: 'empty' }, 'Already formatted.'));
  } else {
    const blocks = format.hunks.map((hunk) =>
      h(
        'pre',
        { class: 'hunk' },
        h('div', { class: 'hunk-head' }, `@@ line ${hunk.oldStart} → ${hunk.newStart} @@`),
        ...hunk.lines.map((line) =>
          h('div', { class: `diff-${line.tag}` }, (line.tag === 'insert' ? '+' : line.tag === 'delete' ? '-' : ' ') + line.text),
        ),
      ),
    );
    clear(out).append(...blocks);
  }
  document.getElementById('format-apply').disabled = !format.changed;
  clear(document.getElementById('format-output')).append(format.text);
}

function renderTree(tree) {
  const lines = [];
  const walk = (node, depth) => {
    if (lines.length >= TREE_LIMIT) return;
    const label = node.text === null ? node.kind : `${node.kind} ${JSON.stringify(node.text)}`;
    const line = h('div', { class: node.text === null ? 'node' : 'token' }, `${'  '.repeat(depth)}${label} ${node.from}..${node.to}`);
    line.onclick = () => goTo({ file: active, from: node.from, to: node.to });
    lines.push(line);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(tree, 0);
  if (lines.length >= TREE_LIMIT) lines.push(h('div', { class: 'empty' }, `… the first ${TREE_LIMIT} lines only`));
  clear(document.getElementById('tree')).append(...lines);
}

function renderFileTabs() {
  const bar = clear(document.getElementById('files'));
  for (const name of Object.keys(files).sort((a, b) => (a === ROOT ? -1 : b === ROOT ? 1 : a.localeCompare(b)))) {
    const tab = h('button', { class: 'file', 'aria-selected': String(name === active), 'data-file': name }, name);
    tab.onclick = () => setActive(name);
    bar.append(tab);
    if (name !== ROOT) {
      const remove = h('button', { class: 'remove', title: `remove ${name}` }, '×');
      remove.onclick = () => {
        delete files[name];
        states.delete(name);
        if (active === name) {
          active = ROOT;
          view.setState(states.get(ROOT) ?? createState(files[ROOT]));
        }
        sendAllFiles = true;
        renderFileTabs();
        schedule();
      };
      bar.append(remove);
    }
  }
}

function showError(message) {
  const banner = document.getElementById('error');
  banner.textContent = message;
  banner.hidden = !message;
}

// ------------------------------------------------------------ controls

for (const button of document.querySelectorAll('#tabs button')) {
  button.onclick = () => {
    activeTab = button.dataset.tab;
    renderTab();
    schedule();
  };
}
document.getElementById('conn-filter').oninput = schedule;
document.getElementById('show-implicit').onchange = schedule;
document.getElementById('indent').onchange = schedule;
document.getElementById('align').onchange = schedule;
document.getElementById('format-apply').onclick = async () => {
  const text = view.state.doc.toString();
  const result = await request('format', { text, options: formatOptions() });
  if (result.changed && view.state.doc.toString() === text) {
    const head = Math.min(view.state.selection.main.head, result.text.length);
    view.dispatch({ changes: { from: 0, to: text.length, insert: result.text }, selection: { anchor: head } });
  }
};

const examples = document.getElementById('examples');
for (const example of EXAMPLES) examples.append(h('option', { value: example.id }, example.title));
examples.onchange = () => {
  const example = EXAMPLES.find((e) => e.id === examples.value);
  if (example) {
    history.replaceState(null, '', location.pathname);
    loadFiles(example.files);
  }
  examples.value = '';
};

document.getElementById('add-file').onsubmit = (event) => {
  event.preventDefault();
  const input = document.getElementById('new-file');
  const name = input.value.trim().replace(/^\.\//, '');
  if (!name || name.endsWith('/') || name in files) {
    showError(name in files ? `${name} exists already` : 'give a file name such as ipsec.d/extra.conf');
    return;
  }
  showError('');
  files[name] = `# ${name}: include it from ipsec.conf, e.g. "include ipsec.d/*.conf"\nconn extra\n\tleft=%defaultroute\n\tright=%any\n`;
  sendAllFiles = true;
  setActive(name);
  input.value = '';
};

document.getElementById('share').onclick = async () => {
  files[active] = view.state.doc.toString();
  const hash = await encodeFiles(files);
  history.replaceState(null, '', hash);
  const url = location.href;
  document.getElementById('share-url').value = url;
  document.getElementById('share-url').hidden = false;
  try {
    await navigator.clipboard.writeText(url);
    document.getElementById('share').textContent = 'Link copied';
  } catch {
    document.getElementById('share').textContent = 'Link in the address bar';
  }
};

async function loadFromHash() {
  try {
    const shared = await decodeFiles(location.hash);
    if (shared) {
      loadFiles(shared);
      return true;
    }
  } catch (error) {
    showError(`cannot read the shared link: ${error.message}`);
  }
  return false;
}
window.addEventListener('hashchange', loadFromHash);

if (!(await loadFromHash())) loadFiles(EXAMPLES[0].files);

// For tests and benchmarks.
window.playground = { ready, metrics, view, files, loadFiles, setActive, request, get last() { return last; } };
