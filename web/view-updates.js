// Server updates: check the release feed, install a newer release (after a confirmation), roll
// back the newest update, and the history of both. Progress comes from /api/updates/stream for a
// browser session, or from polling /api/updates/status for a token sign-in (EventSource cannot
// send the token header).
import { api, apiToken } from './api.js';
import { h } from './dom.js';
import { VirtualTable } from './table.js';

/** Fills `container` with the updates section; `say` and `fail` report outcomes. */
export function updates(container, say, fail) {
  const channel = h('select', { name: 'channel' }, ['stable', 'rc'].map((name) => h('option', { value: name }, name)));
  const result = h('div', { id: 'update-check' });
  const progress = h('p', { class: 'muted', id: 'update-progress' });
  let watching = false;

  const history = new VirtualTable([
    { title: 'When', cell: (e) => new Date(e.timestamp).toLocaleString() },
    { title: 'Action', width: '.6fr', cell: (e) => e.action },
    { title: 'Version', cell: (e) => `${e.fromVersion} → ${e.version}` },
    { title: 'Status', width: '.7fr', cell: (e) => e.status },
    { title: 'Detail', width: '2fr', cell: (e) => e.error || e.backup_path || '' },
    { title: '', width: '.7fr', cell: (e) => (e.rollbackable ? h('button', { type: 'button', onclick: () => rollback(e) }, 'Roll back') : '') },
  ], { virtual: false });

  const loadHistory = () => api('/api/updates/history?limit=20').then(({ entries }) => {
    const rolledBack = new Set(entries.filter((e) => e.action === 'rollback' && e.status === 'completed').map((e) => e.related_event_id));
    const newest = entries.find((e) => e.action === 'update' && e.status === 'completed');
    for (const entry of entries) entry.rollbackable = entry === newest && !rolledBack.has(entry.id);
    history.update(entries);
  }, fail);

  const show = (status) => {
    progress.textContent = `${status.status} ${status.progress}%: ${status.message}${status.error ? ` (${status.error})` : ''}`;
    if (status.status === 'completed' || status.status === 'error') loadHistory();
    return status.status === 'downloading' || status.status === 'installing';
  };

  const watch = () => {
    if (watching) return;
    watching = true;
    if (!apiToken()) {
      const events = new EventSource('/api/updates/stream');
      events.onmessage = (event) => show(JSON.parse(event.data));
      return;
    }
    const poll = () => api('/api/updates/status').then((status) => {
      if (show(status)) setTimeout(poll, 2000); else watching = false;
    }, (error) => { watching = false; fail(error); });
    poll();
  };

  const start = (path, body, question) => {
    if (!window.confirm(question)) return;
    api(path, { method: 'POST', body }).then((reply) => { say(reply.message); watch(); loadHistory(); }, fail);
  };

  const rollback = (entry) => start('/api/updates/rollback', { eventId: entry.id },
    `Roll back to Pulse ${entry.fromVersion}? The server puts back its previous binary and the data as they were before the update, then restarts.`);

  const check = () => api(`/api/updates/check?channel=${channel.value}`).then((info) => {
    const install = info.available && info.canAutoUpdate
      ? h('button', { type: 'button', class: 'primary', onclick: () => start('/api/updates/apply', { downloadUrl: info.downloadUrl },
        `Install Pulse ${info.latestVersion}? The server backs up its data, replaces its binary and restarts.`) }, `Install ${info.latestVersion}`)
      : null;
    result.replaceChildren(
      h('p', {}, `Running ${info.currentVersion} (${info.deploymentType}); latest on ${info.channel}: ${info.latestVersion}`,
        info.available ? ' — an update is available' : ' — up to date'),
      info.warning ? h('p', { class: 'muted' }, info.warning) : null,
      info.available && info.releaseNotes ? h('pre', { class: 'block' }, info.releaseNotes) : null,
      install);
  }, fail);

  container.replaceChildren(
    h('p', {}, h('label', {}, 'Channel ', channel), ' ', h('button', { type: 'button', onclick: check }, 'Check for updates')),
    result, progress, history.element);
  api('/api/updates/status').then((status) => { if (show(status)) watch(); }, fail);
  loadHistory();
}
