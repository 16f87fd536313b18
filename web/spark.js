// The last hour of CPU and memory beside the current value in table cells. A small estate reads
// the server's last hour once (`/api/charts`, every series); every estate adds what each live
// state brings, one point per series per 30 s, so 5,000 guests cost no large download.
import { api } from './api.js';
import { h, meter } from './dom.js';

const svgNS = 'http://www.w3.org/2000/svg';
const series = new Map();
let loadedAt = 0;
let loading = null;
const waiting = new Set();

const groups = { data: 'guest', nodeData: 'node', hostData: 'host', dockerHostData: 'dockerHost', dockerData: 'dockerContainer' };

const hour = 3600 * 1000;
const step = 30 * 1000;
/** Above this many resources the server's copy is not read: the answer would be megabytes. */
const seedLimit = 400;

/** Adds each row's current `metrics` ({name: row → percent}) of `kind` to its series. */
export function record(kind, rows, id, metrics) {
  const now = Date.now();
  for (const row of rows) {
    for (const [metric, read] of Object.entries(metrics)) {
      const value = read(row);
      if (!Number.isFinite(value)) continue;
      const key = `${kind}|${id(row)}|${metric}`;
      let points = series.get(key);
      if (!points) { points = []; series.set(key, points); }
      if (points.length && now - points[points.length - 1].timestamp < step) continue;
      points.push({ timestamp: now, value });
      while (points.length && points[0].timestamp < now - hour) points.shift();
    }
  }
}

/** Reads the server's last hour once when `resources` are few; `onLoaded()` runs once it is in. */
export function refreshRecent(onLoaded, resources = 0) {
  if (onLoaded) waiting.add(onLoaded);
  if (loading || loadedAt || resources > seedLimit) return;
  loading = api('/api/charts?range=1h').then((reply) => {
    // The server's points come first; what live states added since stays after them.
    for (const [group, kind] of Object.entries(groups)) {
      for (const [id, metrics] of Object.entries(reply?.[group] || {})) {
        for (const metric of ['cpu', 'memory']) {
          const points = metrics[metric];
          if (!points?.length) continue;
          const key = `${kind}|${id}|${metric}`;
          const last = points[points.length - 1].timestamp;
          series.set(key, [...points, ...(series.get(key) || []).filter((p) => p.timestamp > last)]);
        }
      }
    }
    loadedAt = Date.now();
    waiting.forEach((listener) => listener());
  }).catch(() => { loadedAt = Date.now(); }).finally(() => { loading = null; });
}

/** Stops calling back the listeners of a view that closed. */
export function forgetRecentListeners() { waiting.clear(); }

/** A small line of `points` ({timestamp, value} in percent). */
export function sparkline(points) {
  const svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 60 16');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  if (points?.length > 1) {
    const first = points[0].timestamp; const span = Math.max(1, points[points.length - 1].timestamp - first);
    const line = document.createElementNS(svgNS, 'polyline');
    line.setAttribute('points', points.map((p) => `${(((p.timestamp - first) / span) * 60).toFixed(1)},${(16 - Math.max(0, Math.min(100, p.value)) * 0.16).toFixed(1)}`).join(' '));
    svg.append(line);
  }
  return svg;
}

/** A usage bar with the last hour of `metric` of resource `kind`/`id` beside it. */
export function meterWithHistory(value, kind, id, metric, label) {
  return h('span', { class: 'metric-cell' }, meter(value, label), sparkline(series.get(`${kind}|${id}|${metric}`)));
}
