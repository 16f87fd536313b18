// A resource's history: one chart per metric from `/api/metrics-store/history`, a range picker
// (1 h … 90 d) and a live tail: the values each `/ws` state brings are appended.
import { api } from './api.js';
import { h, bytes } from './dom.js';

const svgNS = 'http://www.w3.org/2000/svg';
const ranges = [['1h', '1 hour'], ['6h', '6 hours'], ['12h', '12 hours'], ['24h', '1 day'], ['7d', '7 days'], ['30d', '30 days'], ['90d', '90 days']];
const percentMetrics = new Set(['cpu', 'memory', 'disk', 'usage']);
const names = { cpu: 'CPU', memory: 'Memory', disk: 'Disk', usage: 'Usage', temperature: 'Temperature', diskread: 'Disk read', diskwrite: 'Disk write', netin: 'Network in', netout: 'Network out' };

function format(metric, value) {
  if (!Number.isFinite(value)) return '–';
  if (percentMetrics.has(metric)) return `${value.toFixed(1)}%`;
  if (metric === 'temperature') return `${value.toFixed(0)} °C`;
  return `${bytes(value)}/s`;
}

const svg = (tag, attributes) => {
  const element = document.createElementNS(svgNS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
};

/** One metric's chart: the line, its extremes on the axis, the time span under it. */
function drawChart(metric, points, start, end) {
  const width = 600; const height = 140;
  const top = percentMetrics.has(metric) ? 100 : Math.max(1, ...points.map((p) => p.max ?? p.value)) * 1.1;
  const x = (t) => ((t - start) / Math.max(1, end - start)) * width;
  // 4 units of room above and below, so a line at 0 % or 100 % is not cut by the edge.
  const y = (v) => height - 4 - (Math.max(0, Math.min(top, v)) / top) * (height - 8);
  const chart = svg('svg', { class: 'chart history', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'data-metric': metric, 'data-points': points.length,
    'aria-label': `${names[metric] || metric}: ${points.length} points` });
  for (const level of [0.25, 0.5, 0.75]) chart.append(svg('line', { x1: 0, x2: width, y1: height * level, y2: height * level, class: 'grid' }));
  if (points.length) {
    // A rollup's range (min … max) as a band under the average line.
    if (points.some((p) => p.max !== undefined && p.max !== p.min)) {
      const band = points.map((p) => `${x(p.timestamp).toFixed(1)},${y(p.max ?? p.value).toFixed(1)}`)
        .concat(points.slice().reverse().map((p) => `${x(p.timestamp).toFixed(1)},${y(p.min ?? p.value).toFixed(1)}`));
      chart.append(svg('polygon', { points: band.join(' '), class: 'band' }));
    }
    const series = points.length === 1 ? [points[0], { ...points[0], timestamp: end }] : points;
    chart.append(svg('polyline', { points: series.map((p) => `${x(p.timestamp).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ') }));
  }
  const latest = points[points.length - 1]?.value;
  const values = points.map((p) => p.value);
  return h('figure', { class: 'history-chart' },
    h('figcaption', {}, h('b', {}, names[metric] || metric), ' ', h('span', { class: 'muted' },
      points.length ? `now ${format(metric, latest)} · min ${format(metric, Math.min(...values))} · max ${format(metric, Math.max(...values))}` : 'no data in this range')),
    chart,
    h('div', { class: 'axis muted small' }, h('span', {}, new Date(start).toLocaleString()), h('span', {}, percentMetrics.has(metric) ? '0–100%' : `0–${format(metric, top)}`), h('span', {}, 'now')));
}

/**
 * The history panel of resource `type`/`id` (the history's names: node, vm, container, host,
 * dockerHost, dockerContainer, storage). `live(values)` appends `{metric: value}` now.
 */
export function historyPanel(type, id, { initialRange = '1h' } = {}) {
  const picker = h('select', { 'aria-label': 'History range', name: 'range' }, ranges.map(([value, label]) => h('option', { value, selected: value === initialRange }, label)));
  const body = h('div', { class: 'history-charts' }, h('p', { class: 'muted' }, 'Loading history…'));
  const source = h('p', { class: 'muted small' });
  let data = null;
  const paint = () => {
    if (!data) return;
    // A resource younger than the range: the time axis starts at its first point, so the line
    // fills the chart instead of a sliver at its right edge.
    const first = Math.min(...Object.values(data.metrics).map((points) => points[0]?.timestamp ?? Infinity));
    const start = Number.isFinite(first) ? Math.max(data.start, Math.min(first, data.end - 60000)) : data.start;
    const metrics = Object.keys(data.metrics).sort((a, b) => (names[a] ? 0 : 1) - (names[b] ? 0 : 1) || a.localeCompare(b));
    body.replaceChildren(...(metrics.length ? metrics.map((metric) => drawChart(metric, data.metrics[metric], start, data.end))
      : [h('p', { class: 'muted empty' }, 'No history yet: values are kept once the resource reports (every few seconds) and the server samples them.')]));
  };
  const load = async () => {
    try {
      const reply = await api(`/api/metrics-store/history?resourceType=${encodeURIComponent(type)}&resourceId=${encodeURIComponent(id)}&range=${picker.value}`);
      data = { start: reply.start, end: reply.end, metrics: reply.metrics || {} };
      source.textContent = reply.source === 'prometheus' ? 'From the time-series engine.' : 'From the local history store.';
      paint();
    } catch (error) {
      body.replaceChildren(h('p', { class: 'muted' }, error.status === 404 ? 'This server keeps no history.' : error.message));
    }
  };
  picker.addEventListener('change', load);
  load();
  return {
    element: h('div', {}, h('label', { class: 'inline' }, 'Range ', picker), body, source),
    live(values) {
      if (!data) return;
      const now = Date.now();
      const span = data.end - data.start;
      let changed = false;
      for (const [metric, value] of Object.entries(values)) {
        if (!Number.isFinite(value)) continue;
        const list = data.metrics[metric] || (data.metrics[metric] = []);
        if (list.length && now - list[list.length - 1].timestamp < 5000) continue;
        list.push({ timestamp: now, value, min: value, max: value });
        changed = true;
      }
      if (!changed) return;
      data.end = now; data.start = now - span;
      for (const list of Object.values(data.metrics)) while (list.length && list[0].timestamp < data.start) list.shift();
      paint();
    },
  };
}
