import { h } from './dom.js';

const rowHeight = 34;

/**
 * A table that renders only the rows in view, so thousands of guests cost as much as the
 * screenful shown. `columns` are `{title, width, cell(row) → Node|string}`; `update(rows)`
 * swaps the data without rebuilding the table or losing the scroll position.
 */
export class VirtualTable {
  constructor(columns, { virtual = true } = {}) {
    this.columns = columns;
    this.rows = [];
    this.template = columns.map((column) => column.width || '1fr').join(' ');
    this.body = h('div', { style: { position: 'relative' } });
    this.element = h('div', { class: `table${virtual ? ' virtual' : ''}` },
      h('div', { class: 'head', style: { gridTemplateColumns: this.template } }, columns.map((column) => h('span', {}, column.title))),
      this.body);
    this.virtual = virtual;
    if (virtual) this.element.addEventListener('scroll', () => this.paint(), { passive: true });
  }

  update(rows) {
    this.rows = rows;
    this.body.style.height = `${rows.length * rowHeight}px`;
    this.paint();
    return this;
  }

  paint() {
    const viewport = this.virtual ? this.element.clientHeight || 600 : Infinity;
    const first = this.virtual ? Math.max(0, Math.floor(this.element.scrollTop / rowHeight) - 5) : 0;
    const last = this.virtual ? Math.min(this.rows.length, first + Math.ceil(viewport / rowHeight) + 10) : this.rows.length;
    const fragment = document.createDocumentFragment();
    for (let index = first; index < last; index += 1) {
      const row = this.rows[index];
      fragment.append(h('div', {
        class: 'row', style: { gridTemplateColumns: this.template, position: 'absolute', left: '0', right: '0', top: `${index * rowHeight}px` },
      }, this.columns.map((column) => h('span', {}, column.cell(row)))));
    }
    this.body.replaceChildren(fragment);
  }
}
