// HTML building blocks shared by the HTML reports: escaping, inline code, tables.

/** Text safe inside HTML elements and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text with `backticked` spans as <code>. */
export function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** An HTML table cell: plain text (inline-formatted) or { html, cls, title } for pre-built content. */
export type Cell = string | { html: string; cls?: string; title?: string };

function td(c: Cell, tag: 'td' | 'th'): string {
  if (typeof c === 'string') return `<${tag}>${inline(c)}</${tag}>`;
  const cls = c.cls ? ` class="${esc(c.cls)}"` : '';
  const title = c.title ? ` title="${esc(c.title)}"` : '';
  return `<${tag}${cls}${title}>${c.html}</${tag}>`;
}

/** A table from a header and rows; the first cell of each row is its header cell when rowHeads is set. */
export function htmlTable(header: readonly string[], rows: readonly (readonly Cell[])[], cls = '', rowHeads = false): string {
  const head = `<thead><tr>${header.map((h) => `<th scope="col">${inline(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => td(c, rowHeads && i === 0 ? 'th' : 'td')).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table${cls ? ` class="${cls}"` : ''}>${head}<tbody>${body}</tbody></table></div>`;
}

/** A titled section with an id (the anchor the table of contents links to). */
export function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${inline(heading)}</h2>\n${body}\n</section>`;
}
