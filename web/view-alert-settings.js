// Settings → Alerts: every kind's thresholds (trigger and clear), Docker rules, backup and
// snapshot age, delays, quiet hours and notification pacing, and the per-resource overrides.
// Field names are the alert document's paths, so a refusal lands beside the field it names.
import { api } from './api.js';
import { h, section, pageOf } from './dom.js';
import { VirtualTable } from './table.js';
import { field, showFieldError } from './form.js';
import { currentState } from './live.js';

const metricLabels = { cpu: 'CPU %', memory: 'Memory %', disk: 'Disk %', temperature: 'Temperature °C', diskRead: 'Disk read B/s', diskWrite: 'Disk write B/s', networkIn: 'Network in B/s', networkOut: 'Network out B/s' };
const groups = [
  ['guestDefaults', 'VMs and containers', ['cpu', 'memory', 'disk', 'diskRead', 'diskWrite', 'networkIn', 'networkOut']],
  ['nodeDefaults', 'Proxmox nodes', ['cpu', 'memory', 'disk', 'temperature']],
  ['hostDefaults', 'Agent hosts', ['cpu', 'memory', 'disk', 'temperature']],
  ['dockerDefaults', 'Docker containers', ['cpu', 'memory', 'disk']],
];
const delayTypes = [['guest', 'VMs and containers'], ['node', 'Nodes'], ['storage', 'Storage'], ['pbs', 'PBS'], ['host', 'Agent hosts'], ['docker', 'Docker']];
const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const number = (name, extra = {}) => h('input', { name, type: 'number', step: 'any', ...extra });
const check = (name, label) => h('label', { class: 'inline' }, h('input', { name, type: 'checkbox' }), ` ${label}`);
const pair = (path, label) => [field(`${label} trigger`, number(`${path}.trigger`)), field(`${label} clear`, number(`${path}.clear`))];
const get = (object, path) => path.split('.').reduce((value, key) => value?.[key], object);
function set(object, path, value) {
  const keys = path.split('.');
  let target = object;
  for (const key of keys.slice(0, -1)) target = target[key] ?? (target[key] = {});
  target[keys[keys.length - 1]] = value;
}

/** Where an override's resource has its page, from the state (null when it is not there now). */
function overridePage(id, state) {
  if (!state) return null;
  if (id.startsWith('host:')) return pageOf('host', id.slice(5));
  if (id.startsWith('docker:')) return id.includes('/') ? pageOf('docker-container', id.slice(7)) : pageOf('docker-host', id.slice(7));
  if ((state.nodes || []).some((n) => n.id === id)) return pageOf('node', id);
  if ((state.storage || []).some((s) => s.id === id)) return pageOf('storage', id);
  const guest = [...(state.vms || []), ...(state.containers || [])].find((g) => g.id === id);
  return guest ? pageOf(guest.type === 'lxc' ? 'ct' : 'vm', id) : null;
}

export function alertSettings() {
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'alert-settings', id: 'alert-settings' },
    h('fieldset', {}, h('legend', {}, 'General'), h('div', { class: 'grid-fields' },
      check('enabled', 'Alerts on'), field('Delay before an alert fires (s)', number('timeThreshold', { min: '0' })),
      field('Offline after this many checks', number('offlineConfirmations', { min: '1' })), field('Hysteresis margin', number('hysteresisMargin')),
      field('Minimum change to re-notify', number('minimumDelta')))),
    h('fieldset', {}, h('legend', {}, 'Delays per kind (seconds before firing)'), h('div', { class: 'grid-fields' },
      delayTypes.map(([key, label]) => field(label, number(`timeThresholds.${key}`, { min: '0' }))))),
    groups.map(([path, label, metrics]) => h('fieldset', {}, h('legend', {}, label), h('div', { class: 'grid-fields' },
      metrics.flatMap((metric) => pair(`${path}.${metric}`, metricLabels[metric])),
      path === 'dockerDefaults' ? [field('Restarts that count as a loop', number('dockerDefaults.restartCount', { min: '0' })), field('… within seconds', number('dockerDefaults.restartWindow', { min: '0' })),
        field('Memory of limit: warning %', number('dockerDefaults.memoryWarnPct')), field('Memory of limit: critical %', number('dockerDefaults.memoryCriticalPct')),
        check('dockerDefaults.stateAlerts', 'Alert when a running container stops')] : []))),
    h('fieldset', {}, h('legend', {}, 'Storage'), h('div', { class: 'grid-fields' }, pair('storageDefault', 'Usage %'))),
    h('fieldset', {}, h('legend', {}, 'Backup and snapshot age'), h('div', { class: 'grid-fields' },
      check('backupDefaults.enabled', 'Alert on old backups'), field('Backups: warning after days', number('backupDefaults.warningDays', { min: '0' })), field('Backups: critical after days', number('backupDefaults.criticalDays', { min: '0' })),
      check('snapshotDefaults.enabled', 'Alert on old snapshots'), field('Snapshots: warning after days', number('snapshotDefaults.warningDays', { min: '0' })), field('Snapshots: critical after days', number('snapshotDefaults.criticalDays', { min: '0' })))),
    h('fieldset', {}, h('legend', {}, 'Quiet hours (warnings wait; critical alerts still notify)'), h('div', { class: 'grid-fields' },
      check('schedule.quietHours.enabled', 'Quiet hours on'), field('From (HH:mm)', h('input', { name: 'schedule.quietHours.start', type: 'text', placeholder: '22:00' })),
      field('To (HH:mm)', h('input', { name: 'schedule.quietHours.end', type: 'text', placeholder: '08:00' })), field('Time zone', h('input', { name: 'schedule.quietHours.timezone', type: 'text', placeholder: 'Europe/Berlin' })),
      days.map((day) => check(`schedule.quietHours.days.${day}`, day[0].toUpperCase() + day.slice(1))))),
    h('fieldset', {}, h('legend', {}, 'Notifications'), h('div', { class: 'grid-fields' },
      field('Minutes before the same alert notifies again', number('schedule.cooldown', { min: '0' })), field('At most alerts per hour', number('schedule.maxAlertsHour', { min: '0' })),
      check('schedule.notifyOnResolve', 'Notify when an alert resolves'), check('schedule.grouping.enabled', 'Group alerts'), field('Grouping window (s)', number('schedule.grouping.window', { min: '0' })))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save alert settings')), status);
  const inputs = () => [...form.querySelectorAll('input')];
  const load = () => api('/api/alerts/').then((config) => {
    for (const input of inputs()) {
      const value = get(config, input.name);
      if (input.type === 'checkbox') input.checked = Boolean(value); else input.value = value ?? '';
    }
    overrides.update(Object.entries(config.overrides || {}).map(([id, value]) => ({ id, ...value })));
  }, (error) => { status.textContent = error.message; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    for (const input of inputs()) {
      if (input.type === 'checkbox') set(body, input.name, input.checked);
      else if (input.value !== '') set(body, input.name, input.type === 'number' ? Number(input.value) : input.value);
    }
    try {
      await api('/api/alerts/', { method: 'POST', body });
      showFieldError(form, {}, status);
      status.textContent = 'Alert settings saved.';
    } catch (error) { showFieldError(form, error, status); }
  });

  const removeOverride = async (id) => {
    const config = await api('/api/alerts/');
    const next = { ...(config.overrides || {}) };
    delete next[id];
    await api('/api/alerts/', { method: 'POST', body: { overrides: next } });
    load();
  };
  const summary = (o) => Object.entries(o).filter(([key, value]) => value && typeof value === 'object').map(([key, value]) => `${key} ${value.trigger}/${value.clear}`).join(', ');
  const overrides = new VirtualTable([
    { title: 'Resource', width: '1.6fr', cell: (o) => { const page = overridePage(o.id, currentState()); return page ? h('a', { href: page }, o.id) : o.id; }, key: (o) => o.id },
    { title: 'Thresholds (trigger/clear)', width: '2fr', cell: summary },
    { title: 'Alerts', width: '.6fr', cell: (o) => (o.disabled ? 'off' : 'on') },
    { title: 'Note', cell: (o) => o.note || '' },
    { title: '', width: '.6fr', cell: (o) => h('button', { type: 'button', 'aria-label': `Remove the override of ${o.id}`, onclick: () => removeOverride(o.id).catch((error) => { status.textContent = error.message; }) }, 'Remove'), key: null },
  ], { virtual: false, noun: 'overrides', search: (o) => `${o.id} ${o.note || ''}`,
    emptyText: 'No resource has its own thresholds. Open a resource (a row in any table) to give it some.' });
  load();
  return [...section('Alert thresholds and rules', form), ...section('Per-resource overrides', overrides.element)];
}
