// A tiny element builder: h('td', {class: 'key'}, 'left', childNode).
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== '' && child != null) element.append(child);
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}
