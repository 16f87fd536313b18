// The host view's agent controls: the settings the server pushes to the agent (interval,
// modules, disk and sensor globs), the link to a Proxmox node, and uninstall.
import { api } from './api.js';
import { h } from './dom.js';

const configPath = (id) => `/api/agents/host/${encodeURIComponent(id)}/config`;
const lines = (text) => text.split('\n').map((line) => line.trim()).filter(Boolean);

let dialog = null;

/** The button in a host's row; `nodes` are the state's nodes, for the link choice. */
export function agentButton(host, nodes) {
  return h('button', {
    class: 'edit-metadata', type: 'button', title: 'Agent settings', 'aria-label': `Agent settings of ${host.displayName || host.hostname}`,
    onclick: (event) => { event.stopPropagation(); openAgentSettings(host, nodes || []); },
  }, '⚙');
}

async function openAgentSettings(host, nodes) {
  dialog?.remove();
  const error = h('p', { class: 'error', role: 'alert' });
  let held = {};
  try {
    held = (await api(configPath(host.id))).config?.settings || {};
  } catch (failure) {
    error.textContent = failure.message;
  }
  const applied = host.appliedSettings;
  const text = (name, title, value) => { const input = h('input', { name, type: 'text', placeholder: 'agent default' }); input.value = value || ''; return h('label', {}, title, input); };
  const area = (name, title, value) => { const input = h('textarea', { name, rows: 3, placeholder: 'agent default (one glob per line)' }); input.value = (value || []).join('\n'); return h('label', {}, title, input); };
  const module = (name, title, value) => {
    const select = h('select', { name }, h('option', { value: '' }, 'agent default'), h('option', { value: 'on' }, 'on'), h('option', { value: 'off' }, 'off'));
    select.value = value === true ? 'on' : value === false ? 'off' : '';
    return h('label', {}, title, select);
  };
  const link = h('select', { name: 'link' },
    h('option', { value: '' }, 'unchanged'), h('option', { value: 'automatic' }, 'automatic'), h('option', { value: 'unlinked' }, 'not linked'),
    nodes.map((node) => h('option', { value: node.id }, `${node.name || node.node} (${node.instance})`)));
  const form = h('form', { method: 'dialog' },
    h('h3', {}, `Agent of ${host.displayName || host.hostname}`),
    h('p', { class: 'muted' }, applied
      ? `Applied: every ${applied.interval}, host ${applied.enable_host ? 'on' : 'off'}, Docker ${applied.enable_docker ? 'on' : 'off'}, Kubernetes ${applied.enable_kubernetes ? 'on' : 'off'}`
      : 'This agent does not say what it applied (an older agent).'),
    text('interval', 'Interval (such as 30s or 1m)', held.interval),
    module('enable_host', 'Host metrics', held.enable_host),
    module('enable_docker', 'Docker', held.enable_docker),
    module('enable_kubernetes', 'Kubernetes', held.enable_kubernetes),
    area('disk_exclude', 'Excluded disks', held.disk_exclude),
    area('sensor_include', 'Sensors used', held.sensor_include),
    area('sensor_exclude', 'Sensors left out', held.sensor_exclude),
    h('label', {}, `Proxmox node (now: ${host.linkedNodeId || 'none'})`, link),
    error,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', onclick: () => uninstall(host, error) }, 'Uninstall agent'),
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { class: 'primary', type: 'submit' }, 'Save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name) => form.elements[name].value;
    const flag = (name) => (value(name) === 'on' ? true : value(name) === 'off' ? false : null);
    const globs = (name) => (lines(value(name)).length ? lines(value(name)) : null);
    const settings = {
      interval: value('interval').trim() || null,
      enable_host: flag('enable_host'), enable_docker: flag('enable_docker'), enable_kubernetes: flag('enable_kubernetes'),
      disk_exclude: globs('disk_exclude'), sensor_include: globs('sensor_include'), sensor_exclude: globs('sensor_exclude'),
    };
    try {
      await api(configPath(host.id), { method: 'PATCH', body: { settings } });
      const choice = value('link');
      if (choice === 'unlinked') await api('/api/agents/host/unlink', { method: 'POST', body: { hostId: host.id } });
      else if (choice === 'automatic') await api('/api/agents/host/link', { method: 'POST', body: { hostId: host.id, automatic: true } });
      else if (choice) await api('/api/agents/host/link', { method: 'POST', body: { hostId: host.id, nodeId: choice } });
      dialog.close();
    } catch (failure) {
      error.textContent = failure.details?.field ? `${failure.message} (${failure.details.field})` : failure.message;
    }
  });
  dialog = h('dialog', { class: 'metadata-editor agent-settings' }, form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

async function uninstall(host, error) {
  if (!window.confirm(`Remove the agent from ${host.displayName || host.hostname}? An online agent removes its service, binary and state on its next report.`)) return;
  try {
    const reply = await api('/api/agents/host/uninstall', { method: 'POST', body: { hostId: host.id } });
    error.textContent = reply.message;
  } catch (failure) {
    error.textContent = failure.message;
  }
}
