// Settings, one section per view (#/settings/<section>): Proxmox instances, agents, API tokens,
// notifications, alerts, users and security, system.
import { api } from './api.js';
import { h, section, empty, pageOf } from './dom.js';
import { VirtualTable } from './table.js';
import { form, fill } from './form.js';
import { systemSettings } from './view-system.js';
import { discoveryPanel } from './view-discovery.js';
import { updates } from './view-updates.js';
import { demoMode } from './view-demo.js';
import { alertSettings } from './view-alert-settings.js';
import { proxmoxForm, agentInstall } from './first-run.js';

const when = (value) => (value ? new Date(value).toLocaleString() : 'never');

function proxmoxSection(say, fail) {
  const nodes = new VirtualTable([
    { title: 'Name', cell: (n) => n.name }, { title: 'Type', width: '.4fr', cell: (n) => (n.clusterName ? `${n.type} (${n.clusterName})` : n.type) },
    { title: 'Host', width: '1.5fr', cell: (n) => n.host }, { title: 'Status', width: '.6fr', cell: (n) => n.status },
    { title: '', cell: (n) => h('span', {},
      h('button', { type: 'button', onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}/test`, { method: 'POST' }).then((r) => say(r.message), fail) }, 'Test'), ' ',
      n.type === 'pve' && h('button', { type: 'button', 'data-refresh-cluster': n.id, onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}/refresh-cluster`, { method: 'POST' })
        .then((r) => { say(`Cluster ${r.clusterName}: ${r.newNodeCount} nodes (${r.nodesAdded} added)`); loadNodes(); }, fail) }, 'Refresh cluster'), ' ',
      h('button', { type: 'button', onclick: () => api(`/api/config/nodes/${encodeURIComponent(n.id)}`, { method: 'DELETE' }).then(() => { say(`Removed ${n.name}`); loadNodes(); }, fail) }, 'Remove')) },
  ], { virtual: false, noun: 'instances', emptyText: 'No Proxmox instances yet: add one below (its connection is tested first).' });
  const loadNodes = () => api('/api/config/nodes').then((list) => nodes.update(list), fail);
  const addNode = proxmoxForm(() => loadNodes());
  loadNodes();
  return [...section('Proxmox instances', nodes.element), ...section('Add an instance', addNode), ...section('Discovery', ...discoveryPanel(addNode, say, fail))];
}

function agentsSection() {
  const install = agentInstall();
  const agents = new VirtualTable([
    { title: 'Agent', width: '1.3fr', cell: (a) => h('a', { href: pageOf(a.kind, a.id) }, a.name), key: (a) => a.name },
    { title: 'Kind', width: '.7fr', cell: (a) => a.label }, { title: 'Version', width: '.6fr', cell: (a) => a.version || '–' },
    { title: 'Token', cell: (a) => a.token || '–' }, { title: 'Status', width: '.6fr', cell: (a) => a.status },
    { title: 'Last report', cell: (a) => when(a.lastSeen), key: (a) => a.lastSeen },
  ], { virtual: false, noun: 'agents', search: (a) => `${a.name} ${a.id} ${a.token || ''}`, status: (a) => a.status, href: (a) => pageOf(a.kind, a.id),
    emptyText: 'No agents have reported yet.' });
  return {
    nodes: [...section('Install an agent', install.element), ...section('Reporting agents', agents.element)],
    update(next) {
      install.update(next);
      agents.update([
        ...(next.hosts || []).map((x) => ({ kind: 'host', label: 'host', id: x.id, name: x.displayName || x.hostname, version: x.agentVersion, token: x.tokenName, status: x.status, lastSeen: x.lastSeen })),
        ...(next.dockerHosts || []).map((x) => ({ kind: 'docker-host', label: 'Docker', id: x.id, name: x.displayName || x.hostname, version: x.agentVersion, token: x.tokenName, status: x.status, lastSeen: x.lastSeen })),
        ...(next.kubernetesClusters || []).map((x) => ({ kind: 'k8s', label: 'Kubernetes', id: x.id, name: x.displayName || x.name, version: x.agentVersion, token: x.tokenName, status: x.status, lastSeen: x.lastSeen })),
      ]);
    },
  };
}

function tokensSection(fail) {
  const tokens = new VirtualTable([
    { title: 'Name', cell: (t) => t.name }, { title: 'Token', cell: (t) => `${t.prefix}…${t.suffix}` },
    { title: 'Scopes', width: '1.5fr', cell: (t) => (t.scopes || []).join(', ') || '*' },
    { title: 'Last used', cell: (t) => when(t.lastUsedAt), key: (t) => t.lastUsedAt || '' },
    { title: '', width: '.5fr', cell: (t) => h('button', { type: 'button', 'aria-label': `Revoke ${t.name}`, onclick: () => api(`/api/security/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' }).then(() => loadTokens(), fail) }, 'Revoke') },
  ], { virtual: false, noun: 'tokens', search: (t) => `${t.name} ${(t.scopes || []).join(' ')}`, emptyText: 'No API tokens.' });
  const loadTokens = () => api('/api/security/tokens').then((reply) => tokens.update(reply.tokens || []), fail);
  const newToken = h('div');
  const addToken = form([['name', 'Token name', 'text', { required: true }], ['scopes', 'Scopes (comma separated, empty = all)', 'text', { placeholder: 'monitoring:read' }]], 'Create token', (values, element, fieldFail) => {
    const scopes = values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
    api('/api/security/tokens', { method: 'POST', body: { name: values.name, scopes: scopes.length ? scopes : undefined } }).then((created) => {
      newToken.replaceChildren(h('p', {}, 'Copy this token now; it is not shown again:'), h('code', { class: 'block', id: 'new-token' }, created.token));
      element.reset(); loadTokens();
    }, fieldFail);
  }, { className: 'token-form' });
  loadTokens();
  return [...section('API tokens', tokens.element), ...section('New token', addToken, newToken)];
}

function notificationsSection(say, fail) {
  const hooks = new VirtualTable([
    { title: 'Name', cell: (w) => w.name }, { title: 'Service', width: '.7fr', cell: (w) => w.service },
    { title: 'URL', width: '1.4fr', cell: (w) => w.url }, { title: 'On', width: '.3fr', cell: (w) => (w.enabled ? 'yes' : 'no') },
    { title: '', cell: (w) => h('span', {},
      h('button', { type: 'button', onclick: () => api('/api/notifications/webhooks/test', { method: 'POST', body: { id: w.id } }).then((r) => say(r.message), fail) }, 'Test'), ' ',
      h('button', { type: 'button', onclick: () => api(`/api/notifications/webhooks/${encodeURIComponent(w.id)}`, { method: 'DELETE' }).then(() => { say(`Removed ${w.name}`); loadHooks(); }, fail) }, 'Remove')) },
  ], { virtual: false, noun: 'webhooks', emptyText: 'No webhooks: add one below to send alerts to Discord, Slack, ntfy, …' });
  const loadHooks = () => api('/api/notifications/webhooks').then((list) => hooks.update(list), fail);
  const addHook = form([
    ['name', 'Name', 'text', { required: true }], ['service', 'Service', 'select', { options: ['generic', 'discord', 'slack', 'telegram', 'teams', 'teams-adaptive', 'pagerduty', 'pushover', 'gotify', 'ntfy'] }],
    ['url', 'URL', 'url', { required: true, placeholder: 'https://…' }],
  ], 'Add webhook', (values, element, fieldFail, done) => {
    api('/api/notifications/webhooks', { method: 'POST', body: values }).then((added) => { done(`Added ${added.name}`); element.reset(); loadHooks(); }, fieldFail);
  });
  const email = form([
    ['enabled', 'Send email', 'checkbox'], ['server', 'SMTP server'], ['port', 'Port', 'number'], ['from', 'From'], ['to', 'To (comma separated)'],
    ['username', 'Username'], ['password', 'Password (empty keeps it)', 'password'], ['tls', 'TLS (port 465)', 'checkbox'], ['startTLS', 'STARTTLS', 'checkbox', { checked: true }],
  ], 'Save email', (values, element, fieldFail, done) => {
    const body = { ...values, port: Number(values.port) || 587, to: values.to.split(',').map((s) => s.trim()).filter(Boolean) };
    api('/api/notifications/email', { method: 'PUT', body }).then(() => done('Email settings saved'), fieldFail);
  });
  api('/api/notifications/email').then((reply) => fill(email, reply.config || {}), fail);
  const testAll = h('button', { type: 'button', onclick: () => api('/api/notifications/test', { method: 'POST' }).then((r) => say(r.message), fail) }, 'Send a test notification');
  loadHooks();
  return [...section('Webhooks', hooks.element, addHook), ...section('Email', email), h('p', {}, testAll)];
}

function securitySection(fail) {
  const password = form([['currentPassword', 'Current password', 'password', { required: true }], ['newPassword', 'New password', 'password', { required: true }]], 'Change password',
    (values, element, fieldFail, done) => api('/api/security/change-password', { method: 'POST', body: values }).then((r) => { done(r.message); element.reset(); }, fieldFail));
  const lockout = form([['identifier', 'Username or IP address', 'text', { required: true }]], 'Reset lockout',
    (values, element, fieldFail, done) => api('/api/security/reset-lockout', { method: 'POST', body: values }).then((r) => done(r.message), fieldFail));
  const status = h('div', { class: 'panel' });
  api('/api/security/status').then((s) => {
    status.replaceChildren(h('dl', { class: 'facts' },
      [['Signed in as', s.authUsername || s.oidcUsername || s.proxyAuthUsername || 'API token'], ['Role', s.authRole || 'token scopes'],
        ['Single sign-on', s.oidcEnabled ? `on (${s.oidcIssuer})` : 'off'], ['Proxy sign-in', s.hasProxyAuth ? 'on' : 'off'], ['HTTPS', s.hasHTTPS ? 'yes' : 'no'],
        ['Your address', s.clientIP]].flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])));
  }, fail);
  const audit = new VirtualTable([
    { title: 'Time', cell: (e) => when(e.time), key: (e) => e.time }, { title: 'Event', cell: (e) => e.event }, { title: 'Actor', width: '.8fr', cell: (e) => e.actor || '' },
    { title: 'Address', width: '.8fr', cell: (e) => e.ip || '' }, { title: 'OK', width: '.3fr', cell: (e) => (e.success ? 'yes' : 'no') }, { title: 'Details', width: '1.6fr', cell: (e) => e.details || '' },
  ], { noun: 'events', search: (e) => `${e.event} ${e.actor || ''} ${e.ip || ''} ${e.details || ''}`, emptyText: 'No audit events yet.' });
  api('/api/security/audit?limit=500').then((list) => audit.update(list || []), fail);
  return [...section('Who you are', status), ...section('Your password', password), ...section('Login lockouts', lockout), ...section('Audit log', audit.element)];
}

function systemSection(say, fail) {
  const system = h('div'); const serverUpdates = h('div'); const demo = h('div');
  systemSettings(system, say, fail); updates(serverUpdates, say, fail); demoMode(demo, say, fail);
  return [...section('System', system), ...section('Updates', serverUpdates), ...section('Demo mode', demo)];
}

const sections = [['proxmox', 'Proxmox'], ['agents', 'Agents'], ['tokens', 'API tokens'], ['notifications', 'Notifications'], ['alerts', 'Alerts'], ['security', 'Users and security'], ['system', 'System']];

export function settings(container, part = '') {
  const name = sections.some(([key]) => key === part) ? part : 'proxmox';
  const message = h('p', { role: 'status', class: 'muted' });
  const say = (text) => { message.textContent = text; };
  const fail = (error) => say(`Error: ${error.message}`);
  const nav = h('nav', { class: 'subnav', 'aria-label': 'Settings sections' },
    sections.map(([key, label]) => h('a', { href: `#/settings/${key}`, 'aria-current': key === name ? 'page' : undefined }, label)));
  let live = null;
  let content;
  switch (name) {
    case 'agents': live = agentsSection(); content = live.nodes; break;
    case 'tokens': content = tokensSection(fail); break;
    case 'notifications': content = notificationsSection(say, fail); break;
    case 'alerts': content = alertSettings(); break;
    case 'security': content = securitySection(fail); break;
    case 'system': content = systemSection(say, fail); break;
    default: content = proxmoxSection(say, fail);
  }
  container.replaceChildren(h('h1', {}, 'Settings'), nav, message, ...content);
  return { update(state) { live?.update(state); } };
}

export { empty };
