// Alerts (active with acknowledge/clear, and history) and charts from the history store.
import { api } from './api.js';
import { h, status, section, empty } from './dom.js';
import { VirtualTable } from './table.js';
import { alertLink } from './alert-link.js';

const when = (value) => (value ? new Date(value).toLocaleString() : '–');

export function alerts(container) {
  const message = h('p', { class: 'muted', role: 'status' });
  const act = (alert, action) => async () => {
    try {
      // The ID goes in the body: alert IDs hold '/' and ':', which proxies may rewrite in a path.
      await api(`/api/alerts/${action}`, { method: 'POST', body: { id: alert.id } });
      message.textContent = `Alert ${action === 'clear' ? 'cleared' : `${action}d`}: ${alert.resourceName}`;
    } catch (error) { message.textContent = error.message; }
  };
  // An alert's incident timeline, with a form for a note (shown as text, never as HTML).
  const timeline = h('div', { class: 'incident' });
  const showTimeline = (alert) => async () => {
    try {
      const incident = await api(`/api/alerts/incidents?alert_id=${encodeURIComponent(alert.id)}`);
      if (!incident) { timeline.replaceChildren(h('p', { class: 'muted' }, `No incident recorded for ${alert.resourceName}`)); return; }
      const note = h('input', { type: 'text', maxlength: '2000', 'aria-label': 'Note', placeholder: 'Add a note' });
      const save = h('form', { onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api('/api/alerts/incidents/note', { method: 'POST', body: { incident_id: incident.id, note: note.value } });
          await showTimeline(alert)();
        } catch (error) { message.textContent = error.message; }
      } }, note, ' ', h('button', { type: 'submit' }, 'Add note'));
      timeline.replaceChildren(h('h3', {}, `Incident: ${incident.resourceName} (${incident.status})`),
        h('ol', {}, (incident.events || []).map((e) => h('li', {}, `${when(e.timestamp)} – ${e.summary}`, e.details && e.details.note ? h('blockquote', {}, e.details.note) : null))),
        save);
    } catch (error) { message.textContent = error.message; }
  };
  const active = new VirtualTable([
    { title: 'Level', width: '.6fr', cell: (a) => status(a.level), key: (a) => a.level },
    { title: 'Resource', cell: (a) => { const link = latest && alertLink(a, latest); if (link) link.textContent = a.resourceName; return link || a.resourceName; }, key: (a) => a.resourceName },
    { title: 'Alert', width: '2.2fr', cell: (a) => a.message },
    { title: 'Since', cell: (a) => when(a.startTime), key: (a) => a.startTime },
    { title: '', width: '1.3fr', key: null, cell: (a) => h('span', {},
      a.acknowledged
        ? h('button', { type: 'button', onclick: act(a, 'unacknowledge') }, 'Unacknowledge')
        : h('button', { type: 'button', class: 'primary', 'data-ack': a.id, onclick: act(a, 'acknowledge') }, 'Acknowledge'),
      ' ', h('button', { type: 'button', onclick: act(a, 'clear') }, 'Clear'),
      ' ', h('button', { type: 'button', 'data-timeline': a.id, onclick: showTimeline(a) }, 'Timeline')) },
  ], { virtual: false, noun: 'active alerts', search: (a) => `${a.resourceName} ${a.resourceId} ${a.message} ${a.node}`, status: (a) => a.level,
    emptyText: 'No active alerts.' });
  const history = new VirtualTable([
    { title: 'Level', width: '.6fr', cell: (a) => status(a.level), key: (a) => a.level },
    { title: 'Alert', width: '2.2fr', cell: (a) => a.message },
    { title: 'Started', cell: (a) => when(a.startTime), key: (a) => a.startTime },
    { title: 'Ended', cell: (a) => when(a.resolvedTime), key: (a) => a.resolvedTime },
  ], { noun: 'past alerts', search: (a) => `${a.resourceName} ${a.resourceId} ${a.message}`, status: (a) => a.level, emptyText: 'No alert has ended yet.' });
  const loadHistory = () => api('/api/alerts/history?limit=500').then((list) => history.update(list)).catch((error) => { message.textContent = error.message; });
  container.replaceChildren(message, ...section('Active', active.element), timeline, ...section('History', history.element));
  loadHistory();
  let previous = -1;
  let latest = null;
  return {
    update(state) {
      latest = state;
      const list = state.activeAlerts || [];
      active.update(list);
      if (list.length !== previous) { previous = list.length; loadHistory(); }
    },
  };
}

const metricsShown = ['cpu', 'memory', 'disk'];

function sparkline(points) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('viewBox', '0 0 300 100');
  svg.setAttribute('preserveAspectRatio', 'none');
  if (points.length > 0) {
    // A single point (a fresh series) is drawn as a level line across the chart.
    const series = points.length === 1 ? [points[0], { ...points[0], timestamp: points[0].timestamp + 1 }] : points;
    const first = series[0].timestamp; const span = Math.max(1, series[series.length - 1].timestamp - first);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', series.map((p) => `${((p.timestamp - first) / span) * 300},${100 - Math.max(0, Math.min(100, p.value))}`).join(' '));
    svg.append(line);
  }
  return svg;
}

export function charts(container) {
  const range = h('select', { 'aria-label': 'Range' }, ['5m', '15m', '30m', '1h', '4h', '12h', '24h', '7d'].map((r) => h('option', { value: r, selected: r === '1h' }, r)));
  const body = h('div');
  // Which store answered: the time-series engine, or this server's own (also when the engine failed).
  const source = h('p', { class: 'muted small', 'data-chart-source': '' });
  const load = async () => {
    try {
      const data = await api(`/api/charts?range=${range.value}`);
      source.dataset.chartSource = data.source || 'local';
      source.textContent = data.source === 'prometheus' ? 'Source: time-series engine (Prometheus API)' : 'Source: local history store';
      const series = [
        ...Object.entries(data.nodeData || {}).map(([id, metrics]) => ({ id, kind: 'Node', metrics })),
        ...Object.entries(data.data || {}).map(([id, metrics]) => ({ id, kind: data.guestTypes?.[id] === 'container' ? 'Container' : 'VM', metrics })),
        ...Object.entries(data.hostData || {}).map(([id, metrics]) => ({ id, kind: 'Host', metrics })),
        ...Object.entries(data.dockerHostData || {}).map(([id, metrics]) => ({ id, kind: 'Docker host', metrics })),
      ].slice(0, 60);
      body.replaceChildren(series.length ? h('div', { class: 'cards' }, series.map((item) => h('div', { class: 'card' },
        h('div', { class: 'label' }, `${item.kind} ${item.id}`),
        metricsShown.filter((m) => item.metrics[m]?.length).map((m) => h('div', {}, h('span', { class: 'muted' }, m), sparkline(item.metrics[m])))))) : empty('No chart data yet.'));
    } catch (error) {
      body.replaceChildren(empty(error.status === 404 ? 'This server has no history store.' : error.message));
    }
  };
  range.addEventListener('change', load);
  container.replaceChildren(h('p', {}, 'Range ', range), body, source);
  load();
  const timer = setInterval(load, 30000);
  return { update() {}, unmount() { clearInterval(timer); } };
}
