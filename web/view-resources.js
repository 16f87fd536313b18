// The monitoring views: what the live state holds, as cards and tables.
import { h, meter, status, bytes, duration, percent, section, empty, pageOf, guestPage } from './dom.js';
import { VirtualTable } from './table.js';
import { nameCell } from './metadata.js';
import { agentButton } from './host-agent.js';
import { meterWithHistory, refreshRecent, record } from './spark.js';
import { firstRun, isEmptyEstate } from './first-run.js';
import { alertLink } from './alert-link.js';

/** The text the search box matches: name, tags, IDs and addresses. */
const haystack = (...parts) => parts.flat(2).filter((part) => part !== undefined && part !== null).join(' ');
const addresses = (interfaces) => (interfaces || []).flatMap((i) => i.addresses || []);

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
  const welcome = firstRun();
  const estate = h('div', {}, h('div', { class: 'cards' }, names.map((name) => cards[name].node)), stale, ...section('Active alerts', alerts));
  container.replaceChildren(welcome.element, estate);
  return {
    update(state) {
      // With nothing monitored the two ways in come first; the cards follow once anything reports.
      const emptyEstate = isEmptyEstate(state);
      welcome.update(state, emptyEstate);
      estate.hidden = emptyEstate && !welcome.waiting();
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
      alerts.replaceChildren(active.length ? h('ul', {}, active.slice(0, 10).map((alert) => h('li', {}, status(alert.level), ' ', alert.message, ' ', alertLink(alert, state)))) : empty('No active alerts.'));
      const notCurrent = state.staleData || [];
      stale.replaceChildren(...(notCurrent.length ? section('Not current', staleList(notCurrent)) : []));
    },
  };
}

export function proxmox(container) {
  const nodes = new VirtualTable([
    { title: 'Node', width: '1.4fr', cell: (n) => n.displayName || n.name },
    { title: 'Status', width: '.8fr', cell: (n) => status(n.status), key: (n) => n.status },
    { title: 'CPU', width: '1.3fr', cell: (n) => meterWithHistory((n.cpu || 0) * 100, 'node', n.id, 'cpu'), key: (n) => n.cpu },
    { title: 'Memory', width: '1.3fr', cell: (n) => meterWithHistory(n.memory?.usage, 'node', n.id, 'memory'), key: (n) => n.memory?.usage },
    { title: 'Disk', cell: (n) => meter(n.disk?.usage), key: (n) => n.disk?.usage },
    { title: 'Temp', width: '.6fr', cell: (n) => (n.temperature?.cpuPackage ? `${n.temperature.cpuPackage.toFixed(0)} °C` : '–'), key: (n) => n.temperature?.cpuPackage },
    { title: 'Uptime', width: '.7fr', cell: (n) => duration(n.uptime), key: (n) => n.uptime },
  ], { noun: 'nodes', search: (n) => haystack(n.name, n.displayName, n.id, n.host, n.instance), status: (n) => n.status,
    href: (n) => pageOf('node', n.id), emptyText: 'No Proxmox nodes yet: add a Proxmox VE instance under Settings → Proxmox.' });
  const guests = new VirtualTable([
    { title: 'Name', width: '1.4fr', cell: (g) => nameCell(g.name, 'guest', g.metadata?.id || g.id, g.metadata, guestPage(g)), key: (g) => g.name },
    { title: 'ID', width: '.5fr', cell: (g) => g.vmid, key: (g) => g.vmid },
    { title: 'Type', width: '.5fr', cell: (g) => (g.type === 'lxc' ? 'LXC' : 'VM') },
    { title: 'Node', width: '.7fr', cell: (g) => g.node },
    { title: 'Status', width: '.8fr', cell: (g) => status(g.status), key: (g) => g.status },
    { title: 'CPU', width: '1.3fr', cell: (g) => meterWithHistory((g.cpu || 0) * 100, 'guest', g.id, 'cpu'), key: (g) => g.cpu },
    { title: 'Memory', width: '1.3fr', cell: (g) => meterWithHistory(g.memory?.usage, 'guest', g.id, 'memory'), key: (g) => g.memory?.usage },
    { title: 'Disk', cell: (g) => meter(g.disk?.usage), key: (g) => g.disk?.usage },
    { title: 'Uptime', width: '.6fr', cell: (g) => duration(g.uptime), key: (g) => g.uptime },
    { title: 'Tags', width: '.8fr', cell: (g) => g.tags || '' },
  ], { noun: 'guests', label: 'VMs and containers', search: (g) => haystack(g.name, g.vmid, g.id, g.node, g.tags, g.ipAddresses, g.metadata?.tags), status: (g) => g.status,
    href: guestPage, emptyText: 'No VMs or containers: they appear once a Proxmox VE instance is added and polled.' });
  const repaint = () => { nodes.paint(); guests.paint(); };
  container.replaceChildren(...section('Nodes', nodes.element), ...section('VMs and containers', guests.element));
  return {
    update(state) {
      const all = [...(state.vms || []), ...(state.containers || [])];
      record('node', state.nodes || [], (n) => n.id, { cpu: (n) => (n.status === 'online' ? (n.cpu || 0) * 100 : NaN), memory: (n) => n.memory?.usage });
      record('guest', all, (g) => g.id, { cpu: (g) => (g.status === 'running' ? (g.cpu || 0) * 100 : NaN), memory: (g) => (g.status === 'running' ? g.memory?.usage : NaN) });
      refreshRecent(repaint, all.length + (state.nodes || []).length);
      nodes.update(state.nodes || []);
      guests.update(all);
    },
  };
}

export function hosts(container) {
  let nodes = [];
  const table = new VirtualTable([
    { title: 'Host', width: '1.3fr', cell: (host) => nameCell(host.displayName || host.hostname, 'host', host.id, host.metadata, pageOf('host', host.id)), key: (host) => host.displayName || host.hostname },
    { title: 'Status', width: '.7fr', cell: (host) => status(host.status), key: (host) => host.status },
    { title: 'CPU', width: '1.3fr', cell: (host) => meterWithHistory(host.cpuUsage, 'host', host.id, 'cpu'), key: (host) => host.cpuUsage },
    { title: 'Memory', width: '1.3fr', cell: (host) => meterWithHistory(host.memory?.usage, 'host', host.id, 'memory'), key: (host) => host.memory?.usage },
    { title: 'Fullest disk', cell: (host) => meter(Math.max(0, ...(host.disks || []).map((d) => d.usage || 0))), key: (host) => Math.max(0, ...(host.disks || []).map((d) => d.usage || 0)) },
    { title: 'Hottest', width: '.6fr', cell: (host) => { const t = Object.values(host.sensors?.temperatureCelsius || {}); return t.length ? `${Math.max(...t).toFixed(0)} °C` : '–'; }, key: (host) => Math.max(-1, ...Object.values(host.sensors?.temperatureCelsius || {})) },
    { title: 'RAID', width: '.8fr', cell: (host) => ((host.raid || []).map((array) => `${array.device.split('/').pop()}: ${array.state}`).join(', ') || '–') },
    { title: 'SMART', width: '.7fr', cell: (host) => { const disks = host.sensors?.smart || []; const failed = disks.filter((d) => (d.health || '').toUpperCase() === 'FAILED').length; return disks.length ? (failed ? status('FAILED') : `${disks.length} OK`) : '–'; } },
    { title: 'Uptime', width: '.6fr', cell: (host) => duration(host.uptimeSeconds), key: (host) => host.uptimeSeconds },
    { title: 'Agent', width: '.4fr', cell: (host) => agentButton(host, nodes), key: null },
  ], { virtual: false, noun: 'hosts', label: 'Agent hosts', search: (x) => haystack(x.hostname, x.displayName, x.id, x.reportIp, x.tags, addresses(x.networkInterfaces), x.metadata?.tags),
    status: (x) => x.status, href: (x) => pageOf('host', x.id), emptyText: 'No agent hosts: install an agent (Settings → Agents gives the one-line command) and the host appears here when it reports.' });
  container.replaceChildren(...section('Agent hosts', table.element));
  return {
    update(state) {
      record('host', state.hosts || [], (x) => x.id, { cpu: (x) => x.cpuUsage, memory: (x) => x.memory?.usage });
      refreshRecent(() => table.paint(), (state.hosts || []).length);
      nodes = state.nodes || [];
      table.update(state.hosts || []);
    },
  };
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
    { title: 'Docker host', width: '1.3fr', cell: (d) => nameCell(d.displayName || d.hostname, 'dockerHost', d.id, d.metadata, pageOf('docker-host', d.id)), key: (d) => d.displayName || d.hostname },
    { title: 'Status', width: '.7fr', cell: (d) => status(d.status), key: (d) => d.status },
    { title: 'Runtime', width: '.8fr', cell: (d) => `${d.runtime || ''} ${d.runtimeVersion || d.dockerVersion || ''}` },
    { title: 'CPU', width: '1.3fr', cell: (d) => meterWithHistory(d.cpuUsagePercent, 'dockerHost', d.id, 'cpu'), key: (d) => d.cpuUsagePercent },
    { title: 'Memory', width: '1.3fr', cell: (d) => meterWithHistory(d.memory?.usage, 'dockerHost', d.id, 'memory'), key: (d) => d.memory?.usage },
    { title: 'Containers', width: '.7fr', cell: (d) => count(d.containers), key: (d) => count(d.containers) },
  ], { virtual: false, noun: 'Docker hosts', search: (d) => haystack(d.hostname, d.displayName, d.id, addresses(d.networkInterfaces), d.metadata?.tags), status: (d) => d.status,
    href: (d) => pageOf('docker-host', d.id), emptyText: 'No Docker hosts: an agent with Docker enabled reports its containers here.' });
  const containers = new VirtualTable([
    { title: 'Container', width: '1.3fr', cell: (c) => nameCell(c.name.replace(/^\//, ''), 'docker', c.metadata?.id || `${c.hostId}:${c.id}`, c.metadata, pageOf('docker-container', `${c.hostId}/${c.id}`)), key: (c) => c.name },
    { title: 'Host', width: '.9fr', cell: (c) => c.host },
    { title: 'Image', width: '1.3fr', cell: imageCell, key: (c) => c.image },
    { title: 'State', width: '.7fr', cell: (c) => status(c.state), key: (c) => c.state },
    { title: 'Health', width: '.7fr', cell: (c) => (c.health ? status(c.health) : '–'), key: (c) => c.health },
    { title: 'CPU', width: '1.3fr', cell: (c) => meterWithHistory(c.cpuPercent, 'dockerContainer', `${c.hostId}/${c.id}`, 'cpu'), key: (c) => c.cpuPercent },
    { title: 'Memory', width: '1.3fr', cell: (c) => meterWithHistory(c.memoryPercent, 'dockerContainer', `${c.hostId}/${c.id}`, 'memory', bytes(c.memoryUsageBytes)), key: (c) => c.memoryUsageBytes },
    { title: 'Restarts', width: '.5fr', cell: (c) => c.restartCount, key: (c) => c.restartCount },
  ], { noun: 'containers', search: (c) => haystack(c.name, c.id, c.image, c.host, (c.networks || []).map((n) => [n.ipv4, n.ipv6]), c.metadata?.tags), status: (c) => c.state,
    href: (c) => pageOf('docker-container', `${c.hostId}/${c.id}`), emptyText: 'No containers reported.' });
  container.replaceChildren(...section('Docker hosts', hostsTable.element), ...section('Containers', containers.element));
  return {
    update(state) {
      const list = state.dockerHosts || [];
      const all = list.flatMap((host) => (host.containers || []).map((c) => ({ ...c, host: host.displayName || host.hostname, hostId: host.id })));
      record('dockerHost', list, (d) => d.id, { cpu: (d) => d.cpuUsagePercent, memory: (d) => d.memory?.usage });
      record('dockerContainer', all, (c) => `${c.hostId}/${c.id}`, { cpu: (c) => c.cpuPercent, memory: (c) => c.memoryPercent });
      refreshRecent(() => { hostsTable.paint(); containers.paint(); }, list.length + all.length);
      hostsTable.update(list);
      containers.update(all);
    },
  };
}

export function kubernetes(container) {
  const clusters = new VirtualTable([
    { title: 'Cluster', width: '1.3fr', cell: (k) => k.displayName || k.name || k.id },
    { title: 'Status', width: '.7fr', cell: (k) => status(k.status), key: (k) => k.status },
    { title: 'Version', width: '.8fr', cell: (k) => k.version || '–' },
    { title: 'Nodes', width: '.5fr', cell: (k) => count(k.nodes), key: (k) => count(k.nodes) },
    { title: 'Pods', width: '.5fr', cell: (k) => count(k.pods), key: (k) => count(k.pods) },
  ], { virtual: false, noun: 'clusters', search: (k) => haystack(k.name, k.displayName, k.id, k.server), status: (k) => k.status,
    href: (k) => pageOf('k8s', k.id), emptyText: 'No Kubernetes clusters: an agent with Kubernetes enabled reports its cluster here.' });
  const problems = new VirtualTable([
    { title: 'Pod', width: '1.4fr', cell: (p) => `${p.namespace}/${p.name}` },
    { title: 'Cluster', cell: (p) => p.cluster },
    { title: 'Phase', width: '.7fr', cell: (p) => status(p.phase), key: (p) => p.phase },
    { title: 'Reason', cell: (p) => p.reason || '' },
    { title: 'Restarts', width: '.5fr', cell: (p) => p.restarts ?? 0 },
  ], { virtual: false, noun: 'pods', search: (p) => haystack(p.namespace, p.name, p.cluster, p.nodeName), status: (p) => p.phase,
    href: (p) => pageOf('k8s', p.clusterId), emptyText: 'Every pod is running or done.' });
  container.replaceChildren(...section('Clusters', clusters.element), ...section('Pods with problems', problems.element));
  return {
    update(state) {
      const list = state.kubernetesClusters || [];
      clusters.update(list);
      problems.update(list.flatMap((cluster) => (cluster.pods || [])
        .filter((pod) => !['Running', 'Succeeded'].includes(pod.phase))
        .map((pod) => ({ ...pod, cluster: cluster.displayName || cluster.name, clusterId: cluster.id }))));
    },
  };
}

export function storage(container) {
  const table = new VirtualTable([
    { title: 'Storage', width: '1.2fr', cell: (s) => h('span', {}, h('a', { href: pageOf('storage', s.id) }, s.name), ' ', staleMark(s.freshness)), key: (s) => s.name },
    { title: 'Node', width: '.8fr', cell: (s) => s.node },
    { title: 'Type', width: '.6fr', cell: (s) => s.type },
    { title: 'Status', width: '.7fr', cell: (s) => status(s.status), key: (s) => s.status },
    { title: 'Usage', width: '1.4fr', cell: (s) => meter(s.usage, `${percent(s.usage)} of ${bytes(s.total)}`), key: (s) => s.usage },
    { title: 'Content', cell: (s) => s.content },
  ], { virtual: false, noun: 'storages', search: (s) => haystack(s.name, s.id, s.node, s.type, s.content), status: (s) => s.status,
    href: (s) => pageOf('storage', s.id), emptyText: 'No storage: it is read from Proxmox VE nodes once an instance is added.' });
  const datastores = new VirtualTable([
    { title: 'Datastore', width: '1.2fr', cell: (d) => d.name },
    { title: 'PBS', width: '.8fr', cell: (d) => d.pbsName },
    { title: 'Status', width: '.7fr', cell: (d) => status(d.status), key: (d) => d.status },
    { title: 'Usage', width: '1.4fr', cell: (d) => meter(d.usage, `${percent(d.usage)} of ${bytes(d.total)}`), key: (d) => d.usage },
    { title: 'Dedup', width: '.5fr', cell: (d) => (d.deduplicationFactor ? `${d.deduplicationFactor.toFixed(1)}×` : '–'), key: (d) => d.deduplicationFactor },
  ], { virtual: false, noun: 'datastores', search: (d) => haystack(d.name, d.pbsName), status: (d) => d.status,
    href: (d) => pageOf('datastore', `${d.pbsId}/${d.name}`), emptyText: 'No PBS datastores: add a Proxmox Backup Server under Settings → Proxmox.' });
  const backups = h('p', { class: 'muted' });
  container.replaceChildren(...section('Storage', table.element), ...section('PBS datastores', datastores.element), ...section('Backups', backups));
  return {
    update(state) {
      table.update(state.storage || []);
      datastores.update((state.pbs || []).flatMap((p) => (p.datastores || []).map((d) => ({ ...d, pbsId: p.id, pbsName: p.name }))));
      const pve = state.pveBackups || {};
      backups.textContent = `${count(pve.storageBackups)} backups on PVE storage, ${count(state.pbsBackups)} on PBS, ${count(pve.backupTasks)} backup tasks, ${count(pve.guestSnapshots)} guest snapshots.`;
    },
  };
}
