// Renders the Markdown of the man page docs (paragraphs, lists, code, emphasis,
// links) into DOM nodes. Text is escaped first: the docs never inject HTML.
const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function inline(text) {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*)[*_](?=[\s).,;:]|$)/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
}

export function renderMarkdown(markdown) {
  const out = [];
  const lines = markdown.replace(/\r/g, '').split('\n');
  let paragraph = [];
  let list = null;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      flush();
      const code = [];
      while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i]);
      out.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
    } else if (/^\s*[-*] /.test(line)) {
      if (paragraph.length) flush();
      (list ??= []).push(line.replace(/^\s*[-*] /, ''));
    } else if (/^#{1,6} /.test(line)) {
      flush();
      out.push(`<h4>${inline(line.replace(/^#+ /, ''))}</h4>`);
    } else if (!line.trim()) {
      flush();
    } else if (list && /^\s+/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  const element = document.createElement('div');
  element.className = 'markdown';
  element.innerHTML = out.join('');
  return element;
}
