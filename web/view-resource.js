// One resource's page (`#/<kind>/<id>`): status and identity, history charts, its parts, its
// alerts, metadata, backups and its own alert thresholds.
import { api } from './api.js';
import { h, status, facts, section, empty } from './dom.js';
import { VirtualTable } from './table.js';
import { historyPanel } from './chart.js';
import { kinds } from './resource-kinds.js';
import { editMetadata } from './metadata.js';
import { overrideForm } from './alert-override.js';

const when = (value) => (value ? new Date(value).toLocaleString() : '–');

/** Whether `alert` is about the resource with alert ID `id` (or one of its parts). */
const concerns = (alert, id) => alert.resourceId === id || alert.resourceId?.startsWith(`${id}/`) || alert.resourceId?.startsWith(`${id}:`);

function alertsTable(noun) {
  return new VirtualTable([
    { title: 'Level', width: '.6fr', cell: (a) => status(a.level), key: (a) => a.level },
    { title: 'Alert', width: '2.4fr', cell: (a) => a.message },
    { title: 'Since', cell: (a) => when(a.startTime), key: (a) => a.startTime },
    { title: 'Ended', cell: (a) => (a.resolvedTime ? when(a.resolvedTime) : a.acknowledged ? 'acknowledged' : 'active'), key: (a) => a.resolvedTime || '' },
  ], { virtual: false, noun, emptyText: `No ${noun}.` });
}

export function resource(container, kindName, id) {
  const kind = kinds[kindName];
  const title = h('h1', {}, `${kind.label} ${id}`);
  const identity = h('div', { class: 'panel' });
  const metadata = h('div', { class: 'panel' });
  const missing = h('p', { class: 'muted', hidden: true }, `No ${kind.label.toLowerCase()} with the ID ${id} is monitored now. It may have been removed, or it has not reported since the server started.`);
  const history = kind.history ? historyPanel(kind.history, id) : null;
  const active = alertsTable('active alerts');
  const recent = alertsTable('recent alerts');
  const partTables = new Map();
  const partsNode = h('div', { class: 'parts' });
  let overrides = null;
  let alertID = null;
  let loadedHistory = false;

  container.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: `#/${kind.list}` }, `← ${kind.list[0].toUpperCase()}${kind.list.slice(1)}`)),
    title, missing, identity,
    ...(history ? section('History', history.element) : section('History', empty('Pulse keeps no metric history for this kind of resource; its current values are above.'))),
    partsNode,
    ...section('Active alerts', active.element),
    ...section('Recent alerts', recent.element),
    ...section('Metadata', metadata));
  const overrideSlot = h('div');
  if (kind.alertMetrics.length) container.append(...section('Alert thresholds for this resource', overrideSlot));

  return {
    update(state) {
      const item = kind.find(state, id);
      missing.hidden = Boolean(item);
      if (!item) return;
      const name = kind.name(item);
      const state_ = String(item.state || item.status || 'unknown').toLowerCase();
      title.replaceChildren(h('span', { class: `status ${state_}`, role: 'img', 'aria-label': state_, title: state_ }), name, h('span', { class: 'muted kind' }, ` ${kind.label}`));
      document.title = `${name} · Pulse`;
      identity.replaceChildren(facts(kind.facts(item, state)));
      if (history && kind.current) history.live(kind.current(item));
      for (const part of kind.parts(item, state)) {
        let table = partTables.get(part.title);
        if (!table) {
          table = new VirtualTable(part.columns.map(([columnTitle, cell, width, key]) => ({ title: columnTitle, cell, width, key })),
            { virtual: part.rows.length > 200, noun: part.title.toLowerCase(), href: part.href, emptyText: `No ${part.title.toLowerCase()} reported.` });
          partTables.set(part.title, table);
          partsNode.append(...section(part.title, table.element));
        }
        table.update(part.rows);
      }
      alertID = kind.alertID(item);
      active.update((state.activeAlerts || []).filter((a) => concerns(a, alertID)));
      if (!loadedHistory) {
        loadedHistory = true;
        api('/api/alerts/history?limit=500').then((list) => recent.update((list || []).filter((a) => concerns(a, alertID)))).catch(() => {});
      }
      if (kind.metadata) {
        const metadataID = kind.metadataID ? kind.metadataID(item) : item.id;
        const m = item.metadata || {};
        metadata.replaceChildren(facts([['URL', m.customUrl ? h('a', { href: /^https?:\/\//i.test(m.customUrl) ? m.customUrl : '#', rel: 'noopener noreferrer', target: '_blank' }, m.customUrl) : ''],
          ['Description', m.description], ['Tags', (m.tags || []).join(', ')], ['Notes', (m.notes || []).length ? h('ul', {}, m.notes.map((note) => h('li', {}, note))) : '']]),
        h('button', { type: 'button', onclick: () => editMetadata(kind.metadata, metadataID, name, item.metadata) }, 'Edit metadata'));
      } else metadata.replaceChildren(empty('This kind of resource has no user metadata.'));
      if (!overrides && kind.alertMetrics.length) {
        overrides = overrideForm(alertID, kind.alertMetrics);
        overrideSlot.replaceChildren(overrides);
      }
    },
    unmount() { document.title = 'Pulse'; partTables.forEach((table) => table.dispose()); },
  };
}
