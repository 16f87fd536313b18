import { h } from './dom.js';
import { searchTerm, onSearch } from './search.js';

const rowHeight = 34;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compare(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null || a === '') return 1;
  if (b === undefined || b === null || b === '') return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
}

/**
 * A table that renders only the rows in view, so thousands of guests cost as much as the
 * screenful shown. `columns` are `{title, width, cell(row) → Node|string, key(row) → sortable}`
 * (without `key`, a cell that is text sorts by that text). Options: `search(row)` the text the
 * header's search box matches, `status(row)` for the status filter, `href(row)` the row's page,
 * `noun` for the row count, `emptyText` when nothing is there. `update(rows)` swaps the data
 * without rebuilding the table or losing the scroll position.
 */
export class VirtualTable {
  constructor(columns, { virtual = true, search, status, href, noun = 'rows', emptyText = 'Nothing here yet.', label } = {}) {
    this.columns = columns;
    this.all = [];
    this.rows = [];
    this.options = { search, status, href, noun, emptyText };
    this.sort = null;
    this.template = columns.map((column) => column.width || '1fr').join(' ');
    this.headers = columns.map((column, index) => (this.sortable(column)
      ? h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(index) }, column.title)
      : h('span', {}, column.title)));
    this.body = h('div', { style: { position: 'relative' }, role: 'rowgroup' });
    this.grid = h('div', { class: `table${virtual ? ' virtual' : ''}`, role: 'table', 'aria-label': label || noun },
      h('div', { class: 'head', role: 'row', style: { gridTemplateColumns: this.template } }, this.headers.map((header) => h('span', { role: 'columnheader' }, header))),
      this.body);
    this.count = h('span', { class: 'count muted', role: 'status' });
    this.statusFilter = status ? h('select', { 'aria-label': `Filter ${noun} by status`, class: 'status-filter', onchange: () => this.refilter() }, h('option', { value: '' }, 'Any status')) : null;
    this.emptyNode = h('p', { class: 'muted empty', hidden: true }, emptyText);
    this.element = h('div', { class: 'table-block', 'data-noun': noun }, h('div', { class: 'toolbar' }, this.count, this.statusFilter), this.grid, this.emptyNode);
    this.virtual = virtual;
    if (virtual) this.grid.addEventListener('scroll', () => this.paint(), { passive: true });
    if (href) {
      this.grid.addEventListener('click', (event) => {
        if (event.target.closest('a, button, input, select, textarea')) return;
        const row = event.target.closest('.row');
        if (row?.dataset.href) location.hash = row.dataset.href;
      });
    }
    this.unsubscribe = onSearch(() => this.refilter());
  }

  sortable(column) { return column.key !== null && column.title !== ''; }

  sortBy(index) {
    const descending = this.sort?.index === index && !this.sort.descending;
    this.sort = { index, descending };
    this.headers.forEach((header, i) => header.parentElement?.setAttribute('aria-sort', i === index ? (descending ? 'descending' : 'ascending') : 'none'));
    this.refilter();
  }

  keyOf(column, row) {
    if (column.key) return column.key(row);
    const value = column.cell(row);
    return value instanceof Node ? value.textContent : value;
  }

  update(rows) {
    this.all = rows;
    this.refilter();
    return this;
  }

  /** Applies the search term, the status filter and the sort, then repaints. */
  refilter() {
    const { search, status, noun } = this.options;
    let rows = this.all;
    const term = searchTerm();
    if (term && search) rows = rows.filter((row) => search(row).toLowerCase().includes(term));
    if (this.statusFilter) {
      const known = [...new Set(this.all.map((row) => status(row) || 'unknown'))].sort();
      const current = [...this.statusFilter.options].slice(1).map((option) => option.value);
      if (known.join() !== current.join()) {
        const chosen = this.statusFilter.value;
        this.statusFilter.replaceChildren(h('option', { value: '' }, 'Any status'), ...known.map((value) => h('option', { value }, value)));
        this.statusFilter.value = known.includes(chosen) ? chosen : '';
      }
      if (this.statusFilter.value) rows = rows.filter((row) => (status(row) || 'unknown') === this.statusFilter.value);
    }
    if (this.sort) {
      const column = this.columns[this.sort.index];
      const keyed = rows.map((row) => [this.keyOf(column, row), row]);
      keyed.sort((a, b) => compare(a[0], b[0]));
      rows = keyed.map((pair) => pair[1]);
      if (this.sort.descending) rows.reverse();
    }
    this.rows = rows;
    this.count.textContent = rows.length === this.all.length ? `${rows.length} ${noun}` : `${rows.length} of ${this.all.length} ${noun}`;
    this.emptyNode.hidden = this.all.length > 0;
    this.grid.hidden = this.all.length === 0;
    this.body.style.height = `${rows.length * rowHeight}px`;
    this.paint();
  }

  paint() {
    const viewport = this.virtual ? this.grid.clientHeight || 600 : Infinity;
    const first = this.virtual ? Math.max(0, Math.floor(this.grid.scrollTop / rowHeight) - 5) : 0;
    const last = this.virtual ? Math.min(this.rows.length, first + Math.ceil(viewport / rowHeight) + 10) : this.rows.length;
    const fragment = document.createDocumentFragment();
    for (let index = first; index < last; index += 1) {
      const row = this.rows[index];
      const href = this.options.href?.(row);
      fragment.append(h('div', {
        class: `row${href ? ' linked' : ''}`, role: 'row', 'data-href': href,
        style: { gridTemplateColumns: this.template, position: 'absolute', left: '0', right: '0', top: `${index * rowHeight}px` },
      }, this.columns.map((column, columnIndex) => {
        const cell = column.cell(row);
        // The first cell links to the row's page, for the keyboard (the row itself takes clicks).
        const linked = href && columnIndex === 0 && !(cell instanceof Node) ? h('a', { href, class: 'row-link' }, cell) : cell;
        return h('span', { role: 'cell' }, linked);
      })));
    }
    this.body.replaceChildren(fragment);
  }

  /** Stops following the search box (when the view closes). */
  dispose() { this.unsubscribe(); }
}
