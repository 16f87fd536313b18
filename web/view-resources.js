// The monitoring views: what the live state holds, as cards and tables.
import { h, meter, status, bytes, duration, percent, section, empty } from './dom.js';
import { VirtualTable } from './table.js';
import { nameCell } from './metadata.js';
import { agentButton } from './host-agent.js';

const count = (list) => (Array.isArray(list) ? list.length : 0);
const cpuRatio = (value) => meter((value || 0) * 100);

const clock = (ms) => new Date(ms).toLocaleString();

/** A marker for data the last poll could not refresh: what it is, since when, and why. */
function staleMark(freshness) {
  if (!freshness) return null;
  const since = freshness.lastGood ? `as of ${clock(freshness.lastGood)}` : 'never read';
  return h('span', { class: `stale ${freshness.status}`, title: freshness.error }, freshness.status === 'stale' ? `stale, ${since}` : `failed, last good ${since}`);
}

/** The overview's list of polled data that is not current. */
function staleList(entries) {
  return h('ul', { class: 'stale-list' }, entries.map((entry) => h('li', {}, `${entry.instance} (${entry.type}) — ${entry.part}: `, staleMark(entry), ` ${entry.error}`)));
}

function card(label, value, detail) {
  const valueNode = h('div', { class: 'value' }, value);
  const detailNode = h('div', { class: 'muted' }, detail || '');
  return { node: h('div', { class: 'card' }, h('div', { class: 'label' }, label), valueNode, detailNode), valueNode, detailNode };
}

export function overview(container) {
  const names = ['Nodes', 'VMs', 'Containers', 'Hosts', 'Docker hosts', 'Docker containers', 'Kubernetes clusters', 'Active alerts'];
  const cards = Object.fromEntries(names.map((name) => [name, card(name, '–')]));
  const alerts = h('div');
  const stale = h('div', { id: 'stale-data' });
  container.replaceChildren(h('div', { class: 'cards' }, names.map((name) => cards[name].node)), stale, ...section('Active alerts', alerts));
  return {
    update(state) {
      const online = (list, key = 'status', value = 'online') => (list || []).filter((item) => item[key] === value).length;
      const set = (name, total, detail) => { cards[name].valueNode.textContent = total; cards[name].detailNode.textContent = detail; };
      set('Nodes', count(state.nodes), `${online(state.nodes)} online`);
      set('VMs', count(state.vms), `${online(state.vms, 'status', 'running')} running`);
      set('Containers', count(state.containers), `${online(state.containers, 'status', 'running')} running`);
      set('Hosts', count(state.hosts), `${online(state.hosts)} online`);
      set('Docker hosts', count(state.dockerHosts), `${online(state.dockerHosts)} online`);
      const dockerContainers = (state.dockerHosts || []).flatMap((host) => host.containers || []);
      set('Docker containers', dockerContainers.length, `${dockerContainers.filter((c) => c.state === 'running').length} running`);
      set('Kubernetes clusters', count(state.kubernetesClusters), `${online(state.kubernetesClusters)} online`);
      const active = state.activeAlerts || [];
      set('Active alerts', active.length, `${active.filter((a) => a.level === 'critical').length} critical`);
      alerts.replaceChildren(active.length ? h('ul', {}, active.slice(0, 10).map((alert) => h('li', {}, status(alert.level), ' ', alert.message))) : empty('No active alerts.'));
      const notCurrent = state.staleData || [];
      stale.replaceChildren(...(notCurrent.length ? section('Not current', staleList(notCurrent)) : []));
    },
  };
}

export function proxmox(container) {
  const nodes = new VirtualTable([
    { title: 'Node', width: '1.4fr', cell: (n) => n.displayName || n.name },
    { title: 'Status', width: '.8fr', cell: (n) => status(n.status) },
    { title: 'CPU', cell: (n) => cpuRatio(n.cpu) },
    { title: 'Memory', cell: (n) => meter(n.memory?.usage) },
    { title: 'Disk', cell: (n) => meter(n.disk?.usage) },
    { title: 'Temp', width: '.6fr', cell: (n) => (n.temperature?.cpuPackage ? `${n.temperature.cpuPackage.toFixed(0)} °C` : '–') },
    { title: 'Uptime', width: '.7fr', cell: (n) => duration(n.uptime) },
  ], { virtual: false });
  const guests = new VirtualTable([
    { title: 'Name', width: '1.4fr', cell: (g) => nameCell(g.name, 'guest', g.metadata?.id || g.id, g.metadata) },
    { title: 'ID', width: '.5fr', cell: (g) => g.vmid },
    { title: 'Type', width: '.5fr', cell: (g) => (g.type === 'lxc' ? 'LXC' : 'VM') },
    { title: 'Node', width: '.7fr', cell: (g) => g.node },
    { title: 'Status', width: '.8fr', cell: (g) => status(g.status) },
    { title: 'CPU', cell: (g) => cpuRatio(g.cpu) },
    { title: 'Memory', cell: (g) => meter(g.memory?.usage) },
    { title: 'Disk', cell: (g) => meter(g.disk?.usage) },
    { title: 'Uptime', width: '.6fr', cell: (g) => duration(g.uptime) },
    { title: 'Tags', width: '.8fr', cell: (g) => g.tags || '' },
  ]);
  const filter = h('input', { type: 'search', placeholder: 'Filter guests by name, ID, node or tag', 'aria-label': 'Filter guests' });
  let last = null;
  const paint = () => {
    if (!last) return;
    const term = filter.value.trim().toLowerCase();
    const all = [...(last.vms || []), ...(last.containers || [])].sort((a, b) => a.vmid - b.vmid);
    guests.update(term ? all.filter((g) => `${g.name} ${g.vmid} ${g.node} ${g.tags || ''}`.toLowerCase().includes(term)) : all);
  };
  filter.addEventListener('input', paint);
  container.replaceChildren(...section('Nodes', nodes.element), ...section('VMs and containers', filter, guests.element));
  return { update(state) { last = state; nodes.update(state.nodes || []); paint(); } };
}

export function hosts(container) {
  let nodes = [];
  const table = new VirtualTable([
    { title: 'Host', width: '1.3fr', cell: (host) => nameCell(host.displayName || host.hostname, 'host', host.id, host.metadata) },
    { title: 'Status', width: '.7fr', cell: (host) => status(host.status) },
    { title: 'CPU', cell: (host) => meter(host.cpuUsage) },
    { title: 'Memory', cell: (host) => meter(host.memory?.usage) },
    { title: 'Fullest disk', cell: (host) => meter(Math.max(0, ...(host.disks || []).map((d) => d.usage || 0))) },
    { title: 'Hottest', width: '.6fr', cell: (host) => { const t = Object.values(host.sensors?.temperatureCelsius || {}); return t.length ? `${Math.max(...t).toFixed(0)} °C` : '–'; } },
    { title: 'RAID', width: '.8fr', cell: (host) => ((host.raid || []).map((array) => `${array.device.split('/').pop()}: ${array.state}`).join(', ') || '–') },
    { title: 'SMART', width: '.7fr', cell: (host) => { const disks = host.sensors?.smart || []; const failed = disks.filter((d) => (d.health || '').toUpperCase() === 'FAILED').length; return disks.length ? (failed ? status('FAILED') : `${disks.length} OK`) : '–'; } },
    { title: 'Uptime', width: '.6fr', cell: (host) => duration(host.uptimeSeconds) },
    { title: 'Agent', width: '.4fr', cell: (host) => agentButton(host, nodes) },
  ], { virtual: false });
  container.replaceChildren(...section('Agent hosts', table.element));
  return { update(state) { nodes = state.nodes || []; table.update(state.hosts || []); } };
}

/** A container's image, marked when its registry has a newer image under the tag or the check failed. */
function imageCell(c) {
  const update = c.updateStatus;
  if (!update) return c.image;
  if (update.updateAvailable) {
    const detail = `running ${update.currentDigest || '?'}\nregistry has ${update.latestDigest || '?'}`;
    return h('span', {}, `${c.image} `, h('span', { class: 'update-mark', title: detail }, 'update available'));
  }
  if (update.error) return h('span', {}, `${c.image} `, h('span', { class: 'update-mark failed', title: update.error }, 'check failed'));
  return c.image;
}

export function docker(container) {
  const hostsTable = new VirtualTable([
    { title: 'Docker host', width: '1.3fr', cell: (d) => nameCell(d.displayName || d.hostname, 'dockerHost', d.id, d.metadata) },
    { title: 'Status', width: '.7fr', cell: (d) => status(d.status) },
    { title: 'Runtime', width: '.8fr', cell: (d) => `${d.runtime || ''} ${d.runtimeVersion || d.dockerVersion || ''}` },
    { title: 'CPU', cell: (d) => meter(d.cpuUsagePercent) },
    { title: 'Containers', width: '.7fr', cell: (d) => count(d.containers) },
  ], { virtual: false });
  const containers = new VirtualTable([
    { title: 'Container', width: '1.3fr', cell: (c) => nameCell(c.name.replace(/^\//, ''), 'docker', c.metadata?.id || `${c.hostId}:${c.id}`, c.metadata) },
    { title: 'Host', width: '.9fr', cell: (c) => c.host },
    { title: 'Image', width: '1.3fr', cell: imageCell },
    { title: 'State', width: '.7fr', cell: (c) => status(c.state) },
    { title: 'Health', width: '.7fr', cell: (c) => (c.health ? status(c.health) : '–') },
    { title: 'CPU', cell: (c) => meter(c.cpuPercent) },
    { title: 'Memory', cell: (c) => meter(c.memoryPercent, bytes(c.memoryUsageBytes)) },
    { title: 'Restarts', width: '.5fr', cell: (c) => c.restartCount },
  ]);
  container.replaceChildren(...section('Docker hosts', hostsTable.element), ...section('Containers', containers.element));
  return {
    update(state) {
      const list = state.dockerHosts || [];
      hostsTable.update(list);
      containers.update(list.flatMap((host) => (host.containers || []).map((c) => ({ ...c, host: host.displayName || host.hostname, hostId: host.id }))));
    },
  };
}

export function kubernetes(container) {
  const clusters = new VirtualTable([
    { title: 'Cluster', width: '1.3fr', cell: (k) => k.displayName || k.name || k.id },
    { title: 'Status', width: '.7fr', cell: (k) => status(k.status) },
    { title: 'Version', width: '.8fr', cell: (k) => k.version || '–' },
    { title: 'Nodes', width: '.5fr', cell: (k) => count(k.nodes) },
    { title: 'Pods', width: '.5fr', cell: (k) => count(k.pods) },
  ], { virtual: false });
  const problems = new VirtualTable([
    { title: 'Pod', width: '1.4fr', cell: (p) => `${p.namespace}/${p.name}` },
    { title: 'Cluster', cell: (p) => p.cluster },
    { title: 'Phase', width: '.7fr', cell: (p) => status(p.phase) },
    { title: 'Reason', cell: (p) => p.reason || '' },
    { title: 'Restarts', width: '.5fr', cell: (p) => p.restarts ?? 0 },
  ], { virtual: false });
  container.replaceChildren(...section('Clusters', clusters.element), ...section('Pods with problems', problems.element));
  return {
    update(state) {
      const list = state.kubernetesClusters || [];
      clusters.update(list);
      problems.update(list.flatMap((cluster) => (cluster.pods || [])
        .filter((pod) => !['Running', 'Succeeded'].includes(pod.phase))
        .map((pod) => ({ ...pod, cluster: cluster.displayName || cluster.name }))));
    },
  };
}

export function storage(container) {
  const table = new VirtualTable([
    { title: 'Storage', width: '1.2fr', cell: (s) => h('span', {}, s.name, ' ', staleMark(s.freshness)) },
    { title: 'Node', width: '.8fr', cell: (s) => s.node },
    { title: 'Type', width: '.6fr', cell: (s) => s.type },
    { title: 'Status', width: '.7fr', cell: (s) => status(s.status) },
    { title: 'Usage', cell: (s) => meter(s.usage, `${percent(s.usage)} of ${bytes(s.total)}`) },
    { title: 'Content', cell: (s) => s.content },
  ], { virtual: false });
  const backups = h('p', { class: 'muted' });
  container.replaceChildren(...section('Storage', table.element), ...section('Backups', backups));
  return {
    update(state) {
      table.update(state.storage || []);
      const pve = state.pveBackups || {};
      backups.textContent = `${count(pve.storageBackups)} backups on PVE storage, ${count(state.pbsBackups)} on PBS, ${count(pve.backupTasks)} backup tasks, ${count(pve.guestSnapshots)} guest snapshots.`;
    },
  };
}
