// Network discovery (GET/POST /api/discover): the Proxmox servers found on the LAN, a scan of a
// subnet on demand, and "Add", which fills the add-node form with the server's type, host,
// name and certificate fingerprint (credentials are the user's to give).
import { api } from './api.js';
import { h } from './dom.js';
import { VirtualTable } from './table.js';

const productNames = { pve: 'Proxmox VE', pbs: 'Backup Server', pmg: 'Mail Gateway' };

/** The discovery panel; `addNode` is the add-node form it fills; `say` and `fail` report outcomes. */
export function discoveryPanel(addNode, say, fail) {
  const status = h('p', { class: 'muted', id: 'discovery-status' });
  const errors = h('ul', { class: 'error', id: 'discovery-errors' });

  const fill = (server) => {
    const field = (name) => addNode.elements.namedItem(name);
    field('type').value = server.type;
    field('host').value = `https://${server.host}:${server.port}`;
    field('name').value = server.name;
    field('fingerprint').value = server.fingerprint;
    addNode.scrollIntoView({ block: 'center' });
    field('user').focus();
    say(`Fill in the credentials for ${server.name || server.host} and add it`);
  };

  const table = new VirtualTable([
    { title: 'Type', width: '.7fr', cell: (s) => productNames[s.type] || s.type },
    { title: 'Name', cell: (s) => s.name || '–' },
    { title: 'Address', cell: (s) => `${s.host}:${s.port}` },
    { title: 'Version', width: '.6fr', cell: (s) => s.version || '–' },
    { title: 'Fingerprint', width: '1.4fr', cell: (s) => h('span', { title: s.fingerprint }, s.fingerprint) },
    { title: '', width: '.6fr', cell: (s) => (s.configured ? h('span', { class: 'muted' }, 'configured')
      : h('button', { type: 'button', class: 'add-discovered', onclick: () => fill(s) }, 'Add')) },
  ], { virtual: false });

  const show = (report) => {
    table.update(report.servers);
    const count = `${report.servers.length} server${report.servers.length === 1 ? '' : 's'}`;
    status.textContent = report.scanning ? 'Scanning…'
      : report.updated ? `${count} found in ${report.subnet} at ${new Date(report.updated * 1000).toLocaleString()}`
        : 'No scan yet. Turn on discovery in the system settings, or scan a subnet now.';
    errors.replaceChildren(...report.errors.map((text) => h('li', {}, text)));
  };

  const scan = h('form', { class: 'grid', id: 'discovery-scan' },
    h('label', {}, 'Subnet', h('input', { name: 'subnet', required: true, placeholder: '192.168.1.0/24 or auto' })),
    h('button', { type: 'submit', class: 'primary' }, 'Scan now'));
  scan.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = scan.querySelector('button');
    button.disabled = true;
    status.textContent = 'Scanning…';
    api('/api/discover', { method: 'POST', body: { subnet: scan.elements.namedItem('subnet').value } })
      .then(show, (error) => { fail(error); load(); })
      .finally(() => { button.disabled = false; });
  });

  const load = () => api('/api/discover').then(show, fail);
  load();
  return [status, errors, table.element, scan];
}
