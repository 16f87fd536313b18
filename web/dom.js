// Small DOM helpers. Data always goes in through textContent or attributes, never as HTML, so
// a container or host name cannot inject markup.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    // Styles go through the CSSOM: the CSP forbids inline style attributes.
    else if (key === 'style') Object.assign(element.style, value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function percent(value) { return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)}%` : '–'; }

/** A usage bar: green, amber from 80 %, red from 90 %. The label sits beside the bar, never on it. */
export function meter(value, label = percent(value)) {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  const level = clamped >= 90 ? 'crit' : clamped >= 80 ? 'warn' : '';
  return h('div', { class: 'meter', title: label, role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': clamped.toFixed(0), 'aria-label': label },
    h('span', { class: 'track' }, h('i', { class: level, style: { width: `${clamped}%` } })), h('b', {}, label));
}

export function status(text) { return h('span', {}, h('span', { class: `status ${String(text || '').toLowerCase()}` }), text || 'unknown'); }

export function bytes(value) {
  if (!Number.isFinite(value) || value <= 0) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log2(value) / 10));
  return `${(value / 2 ** (10 * power)).toFixed(power ? 1 : 0)} ${units[power]}`;
}

export function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '–';
  const days = Math.floor(seconds / 86400); const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days ? `${days}d ${hours}h` : hours ? `${hours}h ${minutes}m` : `${minutes}m`;
}

export function section(title, ...content) { return [h('h2', {}, title), ...content]; }
export function empty(text, ...more) { return h('p', { class: 'muted empty' }, text, ...more); }

/** A definition list of `[label, value]` pairs; empty values are left out. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

/** The hash route of a resource's page. */
export function pageOf(kind, id) { return `#/${kind}/${encodeURIComponent(id)}`; }

/** The page of a guest (`vm` or `ct`). */
export function guestPage(g) { return pageOf(g.type === 'lxc' ? 'ct' : 'vm', g.id); }
