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

/** A usage bar: green, amber from 80 %, red from 90 %. */
export function meter(value, label = percent(value)) {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  const level = clamped >= 90 ? 'crit' : clamped >= 80 ? 'warn' : '';
  return h('div', { class: 'meter', title: label }, h('i', { class: level, style: { width: `${clamped}%` } }), h('b', {}, label));
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
export function empty(text) { return h('p', { class: 'muted' }, text); }
