// Settings: Proxmox instances, network discovery, API tokens, the agent install command, alert thresholds,
// system settings, server updates, demo mode.
import { api } from './api.js';
import { h, section, empty } from './dom.js';
import { VirtualTable } from './table.js';
import { systemSettings } from './view-system.js';
import { discoveryPanel } from './view-discovery.js';
import { updates } from './view-updates.js';
import { demoMode } from './view-demo.js';

function form(fields, submitLabel, onSubmit) {
  const element = h('form', { class: 'grid' },
    fields.map(([name, label, type = 'text', extra = {}]) => (type === 'select'
      ? h('label', {}, label, h('select', { name }, extra.options.map((o) => h('option', { value: o }, o))))
      : type === 'checkbox'
        ? h('label', {}, label, h('input', { name, type, checked: extra.checked }))
        : h('label', {}, label, h('input', { name, type, required: extra.required, placeholder: extra.placeholder || '' })))),
    h('button', { type: 'submit', class: 'primary' }, submitLabel));
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const input of element.querySelectorAll('input, select')) {
      values[input.name] = input.type === 'checkbox' ? input.checked : input.value;
    }
    onSubmit(values, element);
  });
  return element;
}

export function settings(container) {
  const message = h('p', { role: 'status', class: 'muted' });
  const say = (text) => { message.textContent = text; };
  const fail = (error) => say(`Error: ${error.message}`);

  const nodes = new VirtualTable([
    { title: 'Name', cell: (n) => n.name }, { title: 'Type', width: '.4fr', cell: (n) => (n.clusterName ? `${n.type} (${n.clusterName})` : n.type) },
    { title: 'Host', width: '1.5fr', cell: (n) => n.host }, { title: 'Status', width: '.6fr', cell: (n) => n.status },
    { title: '', cell: (n) => h('span', {},
      h('button', { type: 'button', onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}/test`, { method: 'POST' }).then((r) => say(r.message), fail) }, 'Test'), ' ',
      n.type === 'pve' && h('button', { type: 'button', 'data-refresh-cluster': n.id, onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}/refresh-cluster`, { method: 'POST' })
        .then((r) => { say(`Cluster ${r.clusterName}: ${r.newNodeCount} nodes (${r.nodesAdded} added)`); loadNodes(); }, fail) }, 'Refresh cluster'), ' ',
      h('button', { type: 'button', onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}`, { method: 'DELETE' }).then(() => { say(`Removed ${n.name}`); loadNodes(); }, fail) }, 'Remove')) },
  ], { virtual: false });
  const loadNodes = () => api('/api/config/nodes').then((list) => nodes.update(list), fail);
  const addNode = form([
    ['type', 'Type', 'select', { options: ['pve', 'pbs', 'pmg'] }], ['name', 'Name'], ['host', 'Host', 'text', { required: true, placeholder: 'https://pve.example:8006' }],
    ['user', 'User', 'text', { placeholder: 'root@pam' }], ['password', 'Password', 'password'], ['tokenName', 'Token ID', 'text', { placeholder: 'pulse@pve!monitor' }],
    ['tokenValue', 'Token secret', 'password'], ['fingerprint', 'Fingerprint (SHA-256)'], ['verifySSL', 'Verify TLS', 'checkbox', { checked: true }],
  ], 'Add node', (values, element) => {
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    api('/api/config/nodes', { method: 'POST', body }).then((added) => { say(`Added ${added.name}`); element.reset(); loadNodes(); }, fail);
  });

  const tokens = new VirtualTable([
    { title: 'Name', cell: (t) => t.name }, { title: 'Token', cell: (t) => `${t.prefix}…${t.suffix}` },
    { title: 'Scopes', width: '1.5fr', cell: (t) => (t.scopes || []).join(', ') || '*' },
    { title: 'Last used', cell: (t) => (t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never') },
    { title: '', width: '.5fr', cell: (t) => h('button', { type: 'button', onclick: () => api(`/api/security/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }).then(() => { say(`Revoked ${t.name}`); loadTokens(); }, fail) }, 'Revoke') },
  ], { virtual: false });
  const loadTokens = () => api('/api/security/tokens').then((reply) => tokens.update(reply.tokens || []), fail);
  const newToken = h('div');
  const addToken = form([['name', 'Token name', 'text', { required: true }], ['scopes', 'Scopes (comma separated, empty = all)']], 'Create token', (values, element) => {
    const scopes = values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
    api('/api/security/tokens', { method: 'POST', body: { name: values.name, scopes: scopes.length ? scopes : undefined } }).then((created) => {
      newToken.replaceChildren(h('p', {}, 'Copy this token now; it is not shown again:'), h('code', { class: 'block', id: 'new-token' }, created.token));
      element.reset(); loadTokens();
    }, fail);
  });

  const command = h('div');
  const install = form([['type', 'Agent', 'select', { options: ['host', 'docker', 'kubernetes'] }]], 'Generate install command', (values) => {
    api('/api/agent-install-command', { method: 'POST', body: { type: values.type } })
      .then((reply) => command.replaceChildren(h('code', { class: 'block' }, reply.command)), fail);
  });

  const hooks = new VirtualTable([
    { title: 'Name', cell: (w) => w.name }, { title: 'Service', width: '.7fr', cell: (w) => w.service },
    { title: 'URL', width: '1.4fr', cell: (w) => w.url }, { title: 'On', width: '.3fr', cell: (w) => (w.enabled ? 'yes' : 'no') },
    { title: '', cell: (w) => h('span', {},
      h('button', { type: 'button', onclick: () => api('/api/notifications/webhooks/test', { method: 'POST', body: { id: w.id } }).then((r) => say(r.message), fail) }, 'Test'), ' ',
      h('button', { type: 'button', onclick: () => api(`/api/notifications/webhooks/${encodeURIComponent(w.id)}`, { method: 'DELETE' }).then(() => { say(`Removed ${w.name}`); loadHooks(); }, fail) }, 'Remove')) },
  ], { virtual: false });
  const loadHooks = () => api('/api/notifications/webhooks').then((list) => hooks.update(list), fail);
  const addHook = form([
    ['name', 'Name', 'text', { required: true }], ['service', 'Service', 'select', { options: ['generic', 'discord', 'slack', 'telegram', 'teams', 'teams-adaptive', 'pagerduty', 'pushover', 'gotify', 'ntfy'] }],
    ['url', 'URL', 'url', { required: true, placeholder: 'https://…' }],
  ], 'Add webhook', (values, element) => {
    api('/api/notifications/webhooks', { method: 'POST', body: values }).then((added) => { say(`Added ${added.name}`); element.reset(); loadHooks(); }, fail);
  });
  const email = form([
    ['enabled', 'Send email', 'checkbox'], ['server', 'SMTP server'], ['port', 'Port', 'number'], ['from', 'From'], ['to', 'To (comma separated)'],
    ['username', 'Username'], ['password', 'Password (empty keeps it)', 'password'], ['tls', 'TLS (port 465)', 'checkbox'], ['startTLS', 'STARTTLS', 'checkbox', { checked: true }],
  ], 'Save email', (values) => {
    const body = { ...values, port: Number(values.port) || 587, to: values.to.split(',').map((s) => s.trim()).filter(Boolean) };
    api('/api/notifications/email', { method: 'PUT', body }).then(() => say('Email settings saved'), fail);
  });
  api('/api/notifications/email').then((reply) => {
    for (const input of email.querySelectorAll('input')) {
      const value = reply.config[input.name];
      if (input.type === 'checkbox') input.checked = Boolean(value);
      else if (input.name === 'to') input.value = (value || []).join(', ');
      else if (input.name !== 'password') input.value = value ?? '';
    }
  }, fail);
  const testAll = h('button', { type: 'button', onclick: () => api('/api/notifications/test', { method: 'POST' }).then((r) => say(r.message), fail) }, 'Send a test notification');

  const thresholds = h('div');
  const loadThresholds = () => api('/api/alerts/').then((config) => {
    const fields = [];
    for (const group of ['guestDefaults', 'nodeDefaults', 'hostDefaults']) {
      for (const metric of ['cpu', 'memory', 'disk']) fields.push([`${group}.${metric}`, `${group.replace('Defaults', '')} ${metric} trigger %`, 'number']);
    }
    const element = form(fields, 'Save thresholds', (values) => {
      const body = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === '') continue;
        const [group, metric] = key.split('.');
        const trigger = Number(value);
        body[group] = body[group] || {};
        body[group][metric] = { trigger, clear: trigger < 0 ? trigger : Math.max(0, trigger - 5) };
      }
      api('/api/alerts/', { method: 'POST', body }).then(() => say('Thresholds saved'), fail);
    });
    for (const input of element.querySelectorAll('input')) {
      const [group, metric] = input.name.split('.');
      input.value = config[group]?.[metric]?.trigger ?? '';
    }
    thresholds.replaceChildren(element);
  }, fail);

  const system = h('div');
  const serverUpdates = h('div');
  const demo = h('div');
  container.replaceChildren(message,
    ...section('Proxmox nodes', nodes.element, addNode),
    ...section('API tokens', tokens.element, addToken, newToken),
    ...section('Install an agent', install, command),
    ...section('Notifications', hooks.element, addHook, email, h('p', {}, testAll)),
    ...section('Alert thresholds', thresholds),
    ...section('System', system),
    ...section('Updates', serverUpdates),
    ...section('Demo mode', demo),
    // Last, so the forms above keep their places; "Add" scrolls up to the add-node form.
    ...section('Discovery', ...discoveryPanel(addNode, say, fail)));
  loadNodes(); loadTokens(); loadHooks(); loadThresholds(); systemSettings(system, say, fail); updates(serverUpdates, say, fail);
  demoMode(demo, say, fail);
  return { update() {} };
}

export { empty };
