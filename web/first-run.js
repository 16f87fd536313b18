// The overview with nothing monitored: the two ways in. Add a Proxmox instance (its connection
// tested before it is saved), or install an agent (the one-line command to copy); the new host
// is announced here the moment it reports.
import { api } from './api.js';
import { h, pageOf } from './dom.js';
import { field, showFieldError } from './form.js';

const lists = ['nodes', 'vms', 'containers', 'hosts', 'dockerHosts', 'kubernetesClusters', 'pbs', 'pmg'];

/** Whether the state holds nothing at all to show. */
export function isEmptyEstate(state) { return lists.every((key) => !(state[key] || []).length); }

/** A command in a code block with a button that copies it. */
export function copyable(text, id) {
  const code = h('code', { class: 'block', id }, text);
  const copied = h('span', { class: 'muted small', role: 'status' });
  const copy = h('button', { type: 'button', class: 'copy', onclick: async () => {
    try { await navigator.clipboard.writeText(text); copied.textContent = 'Copied.'; } catch {
      // Without clipboard access (plain HTTP), the command is selected for Ctrl+C.
      getSelection().selectAllChildren(code); copied.textContent = 'Selected: press Ctrl+C to copy.';
    }
  } }, 'Copy');
  return h('div', { class: 'copyable' }, code, h('p', {}, copy, ' ', copied));
}

/** The Proxmox instance form: test the connection, then add it. `onAdded(instance)` after saving. */
export function proxmoxForm(onAdded) {
  const message = h('p', { role: 'status', class: 'muted' });
  const input = (name, type = 'text', extra = {}) => h('input', { name, type, ...extra });
  const typeSelect = h('select', { name: 'type' }, [['pve', 'Proxmox VE'], ['pbs', 'Proxmox Backup Server'], ['pmg', 'Proxmox Mail Gateway']].map(([value, label]) => h('option', { value }, label)));
  const verify = input('verifySSL', 'checkbox', { checked: true });
  const form = h('form', { class: 'grid proxmox-form' },
    field('Type', typeSelect), field('Name', input('name', 'text', { placeholder: 'pve1' })),
    field('Address', input('host', 'text', { required: true, placeholder: 'https://pve.example:8006' })),
    field('Token ID', input('tokenName', 'text', { placeholder: 'pulse@pve!monitor' })), field('Token secret', input('tokenValue', 'password', { autocomplete: 'off' })),
    field('User (instead of a token)', input('user', 'text', { placeholder: 'root@pam' })), field('Password', input('password', 'password', { autocomplete: 'off' })),
    field('TLS fingerprint (SHA-256, for a self-signed certificate)', input('fingerprint')),
    h('label', { class: 'inline' }, verify, ' Verify TLS'),
    h('div', { class: 'actions' }, h('button', { type: 'button', 'data-test-connection': '', onclick: () => test() }, 'Test connection'), h('button', { type: 'submit', class: 'primary' }, 'Test and add')),
    message);
  const body = () => {
    const values = {};
    for (const element of form.querySelectorAll('input, select')) {
      if (element.type === 'checkbox') values[element.name] = element.checked;
      else if (element.value.trim() !== '') values[element.name] = element.value.trim();
    }
    return values;
  };
  async function test() {
    message.textContent = 'Testing the connection…';
    try {
      const reply = await api('/api/config/nodes/test-connection', { method: 'POST', body: body() });
      message.textContent = `${reply.message}${reply.version ? ` (version ${reply.version}` : ''}${reply.nodes ? `, ${reply.nodes} nodes)` : reply.version ? ')' : ''}.`;
      return true;
    } catch (error) { showFieldError(form, error, message); return false; }
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!(await test())) return;
    try {
      const added = await api('/api/config/nodes', { method: 'POST', body: body() });
      message.textContent = `Added ${added.name}; its first poll follows within seconds.`;
      form.reset();
      onAdded?.(added);
    } catch (error) { showFieldError(form, error, message); }
  });
  return form;
}

/** The agent install panel: the command for the chosen kind, and the host it brings, live. */
export function agentInstall() {
  const kind = h('select', { name: 'type', 'aria-label': 'Agent kind' }, [['host', 'Host (Linux, macOS, Windows)'], ['docker', 'Docker host'], ['kubernetes', 'Kubernetes cluster']].map(([value, label]) => h('option', { value }, label)));
  const out = h('div');
  const arrival = h('p', { class: 'arrival', role: 'status' });
  let known = null;
  let watching = false;
  const show = h('button', { type: 'button', class: 'primary', 'data-install-command': '', onclick: async () => {
    try {
      const reply = await api('/api/agent-install-command', { method: 'POST', body: { type: kind.value } });
      out.replaceChildren(h('p', {}, 'Run this on the machine to monitor (as root). The command holds a new agent token; it is shown once.'), copyable(reply.command, 'install-command'));
      watching = true;
      arrival.textContent = 'Waiting for the agent to report…';
    } catch (error) { out.replaceChildren(h('p', { class: 'error' }, error.message)); }
  } }, 'Show the install command');
  return {
    element: h('div', {}, h('p', {}, h('label', { class: 'inline' }, 'Agent for ', kind), ' ', show), out, arrival),
    /** Announces agents that appear after the command was shown. */
    update(state) {
      const agents = [...(state.hosts || []).map((x) => ['host', x.id, x.displayName || x.hostname]),
        ...(state.dockerHosts || []).map((x) => ['docker-host', x.id, x.displayName || x.hostname]),
        ...(state.kubernetesClusters || []).map((x) => ['k8s', x.id, x.displayName || x.name])];
      if (known === null || !watching) { known = new Set(agents.map(([k, id]) => `${k}/${id}`)); return; }
      const fresh = agents.filter(([k, id]) => !known.has(`${k}/${id}`));
      if (fresh.length) {
        arrival.replaceChildren('✓ ', ...fresh.flatMap(([k, id, name], index) => [index ? ', ' : '', h('a', { href: pageOf(k, id), 'data-new-agent': id }, name)]), ' is reporting.');
        fresh.forEach(([k, id]) => known.add(`${k}/${id}`));
      }
    },
    waiting: () => watching,
  };
}

/** The welcome panel of the overview. */
export function firstRun() {
  const agents = agentInstall();
  const element = h('section', { class: 'first-run', 'aria-labelledby': 'first-run-title' },
    h('h1', { id: 'first-run-title' }, 'Nothing is monitored yet'),
    h('p', { class: 'muted' }, 'Pulse watches Proxmox VE, Backup Server and Mail Gateway through their API, and any machine, Docker host or Kubernetes cluster through a small agent. Start with either:'),
    h('div', { class: 'ways' },
      h('div', { class: 'panel' }, h('h2', {}, 'Add a Proxmox instance'), proxmoxForm()),
      h('div', { class: 'panel' }, h('h2', {}, 'Install an agent'), agents.element)));
  return {
    element,
    update(state, emptyEstate) { agents.update(state); element.hidden = !emptyEstate && !agents.waiting(); },
    waiting: agents.waiting,
  };
}
