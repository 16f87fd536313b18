// Demo mode (GET/POST /api/system/mock-mode): a generated estate in place of real sources, for
// trying the dashboard out; switching it off removes every demo record and nothing else.
import { api } from './api.js';
import { h } from './dom.js';
import { field, showFieldError } from './form.js';

const sizes = [
  ['nodeCount', 'NodeCount', 'Proxmox nodes'], ['vmsPerNode', 'VMsPerNode', 'VMs per node'],
  ['lxcsPerNode', 'LXCsPerNode', 'Containers per node'], ['dockerHostCount', 'DockerHostCount', 'Docker hosts'],
  ['genericHostCount', 'GenericHostCount', 'Host agents'],
];

function describe(status) {
  const c = status.config;
  const guests = c.NodeCount * (c.VMsPerNode + c.LXCsPerNode);
  return `${status.enabled ? 'On' : 'Off'}: ${c.NodeCount} nodes, ${guests} guests, ${c.DockerHostCount} Docker hosts, ${c.GenericHostCount} hosts, ${c.K8sClusterCount} Kubernetes clusters`;
}

/** Loads demo mode's state into `container`: a summary, the sizes and a switch. */
export function demoMode(container, say, fail) {
  api('/api/system/mock-mode').then((status) => {
    const summary = h('p', { id: 'demo-mode-status' }, describe(status));
    const inputs = sizes.map(([name, key, label]) => field(label, h('input', { name, type: 'number', min: '0', value: status.config[key] })));
    const note = h('p', { role: 'status', class: 'muted' });
    const toggle = h('button', { type: 'submit', class: 'primary', id: 'demo-mode-toggle' }, status.enabled ? 'Turn demo mode off' : 'Turn demo mode on');
    const form = h('form', { class: 'grid', id: 'demo-mode' }, inputs, h('div', { class: 'actions' }, toggle), note);
    const apply = (body) => {
      toggle.disabled = true;
      api('/api/system/mock-mode', { method: 'POST', body }).then((updated) => {
        status = updated;
        summary.textContent = describe(updated);
        toggle.textContent = updated.enabled ? 'Turn demo mode off' : 'Turn demo mode on';
        say(updated.enabled ? 'Demo mode is on' : 'Demo mode is off; every demo record was removed');
      }, (error) => showFieldError(form, error, note))
        .finally(() => { toggle.disabled = false; });
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const config = {};
      for (const input of inputs.map((label) => label.querySelector('input'))) config[input.name] = Number(input.value);
      apply(status.enabled ? { enabled: false } : { enabled: true, config });
    });
    container.replaceChildren(summary, form);
  }, fail);
}
