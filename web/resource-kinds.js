// What each kind of resource page shows: how to find the resource in the state, its history
// series and alert ID, its identity, and its parts (tables of filesystems, disks, guests, …).
import { h, meter, status, bytes, duration, percent, pageOf } from './dom.js';

const when = (ms) => (ms ? new Date(typeof ms === 'number' && ms < 1e12 ? ms * 1000 : ms).toLocaleString() : '–');
const link = (kind, id, label) => h('a', { href: pageOf(kind, id) }, label);
const list = (value) => (Array.isArray(value) ? value.join(', ') : value || '');
const guests = (state) => [...(state.vms || []), ...(state.containers || [])];
const guestKind = (g) => (g.type === 'lxc' ? 'ct' : 'vm');
const nodeOf = (state, name, instance) => (state.nodes || []).find((n) => n.name === name && (!instance || n.instance === instance));

/** A part's table: `columns` are `[title, cell(row), width?]`; `href(row)` links a row to its page. */
const part = (title, rows, columns, href) => ({ title, rows, columns, href });

const fs = (disks) => part('Filesystems', disks || [], [
  ['Mount', (d) => d.mountpoint || d.device || '', '1.2fr'], ['Device', (d) => d.device || ''], ['Type', (d) => d.type || '', '.5fr'],
  ['Usage', (d) => meter(d.usage, `${percent(d.usage)} of ${bytes(d.total)}`), '1.4fr'], ['Free', (d) => bytes(d.free), '.6fr'],
]);
const interfaces = (list_) => part('Network interfaces', list_ || [], [
  ['Name', (i) => i.name], ['MAC', (i) => i.mac || ''], ['Addresses', (i) => list(i.addresses), '2fr'],
  ['In', (i) => (Number.isFinite(i.rxBytesPerSecond) ? `${bytes(i.rxBytesPerSecond)}/s` : '–'), '.6fr'],
  ['Out', (i) => (Number.isFinite(i.txBytesPerSecond) ? `${bytes(i.txBytesPerSecond)}/s` : '–'), '.6fr'],
]);
const smartAttributes = (a) => Object.entries(a || {}).map(([key, value]) => `${key.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${value}`).join(', ');
const guestBackups = (state, vmid) => part('Backups and snapshots', [
  ...((state.pveBackups || {}).storageBackups || []).filter((b) => b.vmid === vmid).map((b) => ({ where: `${b.storage} on ${b.node}`, time: b.time || b.ctime, size: b.size, kind: b.isPBS ? 'PBS' : 'PVE backup', note: b.notes || '' })),
  ...(state.pbsBackups || []).filter((b) => String(b.vmid) === String(vmid)).map((b) => ({ where: `${b.datastore} on ${b.instance}`, time: b.backupTime, size: b.size, kind: 'PBS', note: b.comment || '' })),
  ...((state.pveBackups || {}).guestSnapshots || []).filter((s) => s.vmid === vmid).map((s) => ({ where: s.node, time: s.time, size: 0, kind: `snapshot ${s.name}`, note: s.description || '' })),
], [['Kind', (b) => b.kind], ['Where', (b) => b.where, '1.3fr'], ['Time', (b) => when(b.time), '1.2fr', (b) => new Date(b.time).getTime() || 0], ['Size', (b) => (b.size ? bytes(b.size) : '–'), '.6fr', (b) => b.size], ['Notes', (b) => b.note, '1.3fr']]);

const machineMetrics = ['cpu', 'memory', 'disk', 'temperature'];

/** Every page kind, by its route segment (`#/<kind>/<id>`). `list` is the view its rows are in. */
export const kinds = {
  node: {
    label: 'Node', list: 'proxmox', history: 'node', alertMetrics: machineMetrics,
    find: (state, id) => (state.nodes || []).find((n) => n.id === id),
    name: (n) => n.displayName || n.name,
    alertID: (n) => n.id,
    current: (n) => ({ cpu: (n.cpu || 0) * 100, memory: n.memory?.usage, disk: n.disk?.usage }),
    facts: (n, state) => [['ID', n.id], ['Status', status(n.status)], ['Instance', n.instance], ['Address', n.host], ['Cluster', n.clusterName],
      ['PVE version', n.pveVersion], ['Kernel', n.kernelVersion], ['CPU', n.cpuInfo ? `${n.cpuInfo.model} (${n.cpuInfo.cores} cores, ${n.cpuInfo.sockets} sockets)` : ''],
      ['Memory', n.memory ? `${bytes(n.memory.used)} of ${bytes(n.memory.total)}` : ''], ['Uptime', duration(n.uptime)], ['Last seen', when(n.lastSeen)],
      ['Agent host', n.linkedHostAgentId ? link('host', n.linkedHostAgentId, (state.hosts || []).find((x) => x.id === n.linkedHostAgentId)?.hostname || n.linkedHostAgentId) : '']],
    parts: (n, state) => [
      part('Guests', guests(state).filter((g) => g.node === n.name && g.instance === n.instance), [
        ['Name', (g) => g.name, '1.4fr'], ['ID', (g) => g.vmid, '.5fr'], ['Type', (g) => (g.type === 'lxc' ? 'LXC' : 'VM'), '.5fr'], ['Status', (g) => status(g.status), '.8fr', (g) => g.status],
        ['CPU', (g) => meter((g.cpu || 0) * 100), '1fr', (g) => g.cpu], ['Memory', (g) => meter(g.memory?.usage), '1fr', (g) => g.memory?.usage]], (g) => pageOf(guestKind(g), g.id)),
      part('Storage', (state.storage || []).filter((s) => s.node === n.name && s.instance === n.instance), [
        ['Storage', (s) => s.name], ['Type', (s) => s.type, '.6fr'], ['Status', (s) => status(s.status), '.7fr', (s) => s.status],
        ['Usage', (s) => meter(s.usage, `${percent(s.usage)} of ${bytes(s.total)}`), '1.4fr', (s) => s.usage]], (s) => pageOf('storage', s.id)),
      part('Disks', (state.physicalDisks || []).filter((d) => d.node === n.name && d.instance === n.instance), [
        ['Device', (d) => d.devPath], ['Model', (d) => d.model || '', '1.4fr'], ['Type', (d) => d.type || '', '.5fr'], ['Size', (d) => bytes(d.size), '.6fr', (d) => d.size],
        ['Health', (d) => status(d.health), '.7fr', (d) => d.health], ['Wear', (d) => (d.wearout >= 0 ? `${d.wearout}%` : '–'), '.5fr', (d) => d.wearout],
        ['Temp', (d) => (d.temperature > 0 ? `${d.temperature} °C` : '–'), '.5fr', (d) => d.temperature]]),
    ],
  },
  vm: null, // set below: VMs and containers share one description
  ct: null,
  host: {
    label: 'Agent host', list: 'hosts', history: 'host', alertMetrics: machineMetrics, metadata: 'host',
    find: (state, id) => (state.hosts || []).find((x) => x.id === id),
    name: (x) => x.displayName || x.hostname,
    alertID: (x) => `host:${x.id}`,
    current: (x) => ({ cpu: x.cpuUsage, memory: x.memory?.usage, disk: Math.max(0, ...(x.disks || []).map((d) => d.usage || 0)) }),
    facts: (x, state) => {
      const node = x.linkedNodeId && (state.nodes || []).find((n) => n.id === x.linkedNodeId);
      return [['ID', x.id], ['Status', status(x.status)], ['Hostname', x.hostname], ['Address', x.reportIp],
        ['OS', [x.osName, x.osVersion].filter(Boolean).join(' ')], ['Kernel', x.kernelVersion], ['Architecture', x.architecture],
        ['CPU', x.cpuModel ? `${x.cpuModel} (${x.cpuCount} threads)` : x.cpuCount], ['Load', list((x.loadAverage || []).map((v) => v.toFixed(2)))],
        ['Memory', x.memory ? `${bytes(x.memory.used)} of ${bytes(x.memory.total)}` : ''], ['Uptime', duration(x.uptimeSeconds)],
        ['Agent version', x.agentVersion], ['Token', x.tokenName], ['Last report', when(x.lastSeen)],
        ['Proxmox node', node ? link('node', node.id, node.displayName || node.name) : x.linkedNodeId], ['Tags', list(x.tags)]];
    },
    parts: (x) => [
      fs(x.disks),
      part('Disks (SMART)', x.sensors?.smart || [], [
        ['Device', (d) => d.device], ['Model', (d) => d.model || '', '1.2fr'], ['Serial', (d) => d.serial || ''], ['Health', (d) => status(d.health || 'unknown'), '.7fr', (d) => d.health],
        ['Temp', (d) => (d.standby ? 'standby' : d.temperature > 0 ? `${d.temperature} °C` : '–'), '.5fr', (d) => d.temperature],
        ['Attributes', (d) => smartAttributes(d.attributes), '3fr']]),
      part('Sensors', [
        ...Object.entries(x.sensors?.temperatureCelsius || {}).map(([name, value]) => ({ name, kind: 'temperature', value: `${value.toFixed(1)} °C`, sort: value })),
        ...Object.entries(x.sensors?.fanRpm || {}).map(([name, value]) => ({ name, kind: 'fan', value: `${value.toFixed(0)} rpm`, sort: value })),
        ...Object.entries(x.sensors?.powerWatts || {}).map(([name, value]) => ({ name, kind: 'power', value: `${value.toFixed(1)} W`, sort: value })),
      ], [['Sensor', (s) => s.name, '1.5fr'], ['Kind', (s) => s.kind, '.6fr'], ['Value', (s) => s.value, '.6fr', (s) => s.sort]]),
      part('RAID arrays', x.raid || [], [
        ['Device', (r) => r.device], ['Level', (r) => r.level, '.5fr'], ['State', (r) => status(r.state), '.8fr', (r) => r.state],
        ['Devices', (r) => `${r.activeDevices}/${r.totalDevices} active, ${r.failedDevices} failed, ${r.spareDevices} spare`, '2fr', (r) => r.failedDevices]]),
      interfaces(x.networkInterfaces),
    ],
  },
  'docker-host': {
    label: 'Docker host', list: 'docker', history: 'dockerHost', alertMetrics: ['cpu', 'memory'], metadata: 'dockerHost',
    find: (state, id) => (state.dockerHosts || []).find((d) => d.id === id),
    name: (d) => d.displayName || d.hostname,
    alertID: (d) => `docker:${d.id}`,
    current: (d) => ({ cpu: d.cpuUsagePercent, memory: d.memory?.usage }),
    facts: (d) => [['ID', d.id], ['Status', status(d.status)], ['Hostname', d.hostname], ['OS', d.os], ['Kernel', d.kernelVersion], ['Architecture', d.architecture],
      ['Runtime', `${d.runtime || 'docker'} ${d.runtimeVersion || d.dockerVersion || ''}`], ['CPUs', d.cpus], ['Memory', bytes(d.totalMemoryBytes)],
      ['Uptime', duration(d.uptimeSeconds)], ['Agent version', d.agentVersion], ['Token', d.tokenName], ['Last report', when(d.lastSeen)]],
    parts: (d) => [
      part('Containers', d.containers || [], [
        ['Container', (c) => c.name.replace(/^\//, ''), '1.3fr'], ['Image', (c) => c.image, '1.5fr'], ['State', (c) => status(c.state), '.7fr', (c) => c.state],
        ['CPU', (c) => meter(c.cpuPercent), '1fr', (c) => c.cpuPercent], ['Memory', (c) => meter(c.memoryPercent, bytes(c.memoryUsageBytes)), '1fr', (c) => c.memoryUsageBytes],
        ['Restarts', (c) => c.restartCount, '.5fr']], (c) => pageOf('docker-container', `${d.id}/${c.id}`)),
      fs(d.disks), interfaces(d.networkInterfaces),
    ],
  },
  'docker-container': {
    label: 'Docker container', list: 'docker', history: 'dockerContainer', alertMetrics: ['cpu', 'memory', 'disk'], metadata: 'docker',
    find: (state, id) => {
      const slash = id.indexOf('/');
      const host = (state.dockerHosts || []).find((d) => d.id === id.slice(0, slash));
      const container = host?.containers?.find((c) => c.id === id.slice(slash + 1));
      return container && { ...container, dockerHost: host };
    },
    name: (c) => c.name.replace(/^\//, ''),
    metadataID: (c) => c.metadata?.id || `${c.dockerHost.id}:${c.id}`,
    alertID: (c) => `docker:${c.dockerHost.id}/${c.id}`,
    current: (c) => ({ cpu: c.cpuPercent, memory: c.memoryPercent }),
    facts: (c) => [['ID', c.id], ['State', status(c.state)], ['Status', c.status], ['Health', c.health], ['Image', c.image], ['Digest', c.imageDigest],
      ['Host', link('docker-host', c.dockerHost.id, c.dockerHost.displayName || c.dockerHost.hostname)], ['Started', when(c.startedAt)], ['Uptime', duration(c.uptimeSeconds)],
      ['Restarts', c.restartCount], ['Exit code', c.state === 'running' ? '' : c.exitCode], ['Memory', `${bytes(c.memoryUsageBytes)} of ${bytes(c.memoryLimitBytes)}`],
      ['Update', c.updateStatus ? (c.updateStatus.updateAvailable ? 'newer image available' : c.updateStatus.error || 'current') : '']],
    parts: (c) => [
      part('Ports', c.ports || [], [['Private', (p) => p.privatePort ?? p.PrivatePort ?? ''], ['Public', (p) => p.publicPort ?? ''], ['Protocol', (p) => p.protocol || p.type || ''], ['Address', (p) => p.ip || '']]),
      part('Networks', c.networks || [], [['Network', (n) => n.name], ['IPv4', (n) => n.ipv4 || ''], ['IPv6', (n) => n.ipv6 || '']]),
      part('Mounts', c.mounts || [], [['Source', (m) => m.source || m.name || '', '2fr'], ['Destination', (m) => m.destination || '', '1.5fr'], ['Type', (m) => m.type || '', '.5fr'], ['Mode', (m) => (m.rw === false ? 'ro' : 'rw'), '.4fr']]),
      part('Labels', Object.entries(c.labels || {}).map(([key, value]) => ({ key, value })), [['Label', (l) => l.key, '1.5fr'], ['Value', (l) => l.value, '2fr']]),
    ],
  },
  k8s: {
    label: 'Kubernetes cluster', list: 'kubernetes', history: null, alertMetrics: [],
    find: (state, id) => (state.kubernetesClusters || []).find((k) => k.id === id),
    name: (k) => k.displayName || k.name || k.id,
    alertID: (k) => k.id,
    facts: (k) => [['ID', k.id], ['Status', status(k.status)], ['Server', k.server], ['Context', k.context], ['Version', k.version], ['Provider', k.provider],
      ['Agent version', k.agentVersion], ['Last report', when(k.lastSeen)]],
    parts: (k) => [
      part('Nodes', k.nodes || [], [['Node', (n) => n.name], ['Ready', (n) => status(n.ready ? 'online' : 'offline'), '.6fr', (n) => n.ready], ['Roles', (n) => list(n.roles)], ['Kubelet', (n) => n.kubeletVersion || ''],
        ['CPU', (n) => n.capacityCpuCores ?? '', '.4fr'], ['Memory', (n) => bytes(n.capacityMemoryBytes), '.6fr', (n) => n.capacityMemoryBytes]]),
      part('Pods', k.pods || [], [['Pod', (p) => `${p.namespace}/${p.name}`, '2fr'], ['Node', (p) => p.nodeName || ''], ['Phase', (p) => status(p.phase), '.7fr', (p) => p.phase], ['Reason', (p) => p.reason || ''], ['Restarts', (p) => p.restarts ?? 0, '.5fr']]),
      part('Deployments', k.deployments || [], [['Deployment', (d) => `${d.namespace}/${d.name}`, '2fr'], ['Ready', (d) => `${d.readyReplicas ?? 0}/${d.desiredReplicas ?? d.replicas ?? 0}`, '.6fr']]),
    ],
  },
  storage: {
    label: 'Storage', list: 'storage', history: 'storage', alertMetrics: ['usage'],
    find: (state, id) => (state.storage || []).find((s) => s.id === id),
    name: (s) => `${s.name} on ${s.node}`,
    alertID: (s) => s.id,
    current: (s) => ({ usage: s.usage }),
    facts: (s, state) => {
      const node = nodeOf(state, s.node, s.instance);
      return [['ID', s.id], ['Status', status(s.status)], ['Type', s.type], ['Node', node ? link('node', node.id, s.node) : s.node], ['Instance', s.instance],
        ['Content', s.content], ['Shared', s.shared ? 'yes' : 'no'], ['Usage', meter(s.usage, `${percent(s.usage)}: ${bytes(s.used)} of ${bytes(s.total)}`)],
        ['ZFS pool', s.zfsPool ? `${s.zfsPool.name}: ${s.zfsPool.health}, ${s.zfsPool.frag}% fragmented` : '']];
    },
    parts: (s, state) => [
      part('Backups on this storage', ((state.pveBackups || {}).storageBackups || []).filter((b) => b.storage === s.name && b.node === s.node && b.instance === s.instance), [
        ['Guest', (b) => b.vmid, '.5fr'], ['Volume', (b) => b.volid, '2.2fr'], ['Time', (b) => when(b.time || b.ctime), '1.2fr', (b) => b.time || b.ctime], ['Size', (b) => bytes(b.size), '.6fr', (b) => b.size]]),
    ],
  },
  datastore: {
    label: 'PBS datastore', list: 'storage', history: null, alertMetrics: [],
    find: (state, id) => {
      const slash = id.indexOf('/');
      const instance = (state.pbs || []).find((p) => p.id === id.slice(0, slash));
      const store = instance?.datastores?.find((d) => d.name === id.slice(slash + 1));
      return store && { ...store, pbs: instance };
    },
    name: (d) => `${d.name} on ${d.pbs.name}`,
    alertID: (d) => d.pbs.id,
    facts: (d) => [['Datastore', d.name], ['Status', status(d.status)], ['PBS', `${d.pbs.name} (${d.pbs.host})`], ['Version', d.pbs.version],
      ['Usage', meter(d.usage, `${percent(d.usage)}: ${bytes(d.used)} of ${bytes(d.total)}`)], ['Deduplication', d.deduplicationFactor ? `${d.deduplicationFactor.toFixed(2)}×` : ''], ['Error', d.error]],
    parts: (d, state) => [
      part('Jobs', ['backupJobs', 'syncJobs', 'verifyJobs', 'pruneJobs', 'garbageJobs'].flatMap((key) => (d.pbs[key] || []).filter((j) => !j.store || j.store === d.name)), [
        ['Job', (j) => j.id], ['Type', (j) => j.type, '.6fr'], ['Status', (j) => status(j.status), '.7fr', (j) => j.status], ['Last run', (j) => when(j.lastRun), '1.2fr', (j) => j.lastRun], ['Error', (j) => j.error || '', '1.5fr']]),
      part('Backups', (state.pbsBackups || []).filter((b) => b.datastore === d.name && b.instance === d.pbs.name), [
        ['Guest', (b) => `${b.backupType}/${b.vmid}`, '.8fr'], ['Namespace', (b) => b.namespace || '', '.8fr'], ['Time', (b) => when(b.backupTime), '1.2fr', (b) => b.backupTime],
        ['Size', (b) => bytes(b.size), '.6fr', (b) => b.size], ['Verified', (b) => (b.verified ? 'yes' : 'no'), '.5fr'], ['Comment', (b) => b.comment || '', '1.2fr']]),
    ],
  },
};

const guest = (type) => ({
  label: type === 'ct' ? 'Container' : 'VM', list: 'proxmox', history: type === 'ct' ? 'container' : 'vm', alertMetrics: ['cpu', 'memory', 'disk', 'diskRead', 'diskWrite', 'networkIn', 'networkOut'], metadata: 'guest',
  find: (state, id) => guests(state).find((g) => g.id === id),
  name: (g) => g.name,
  metadataID: (g) => g.metadata?.id || g.id,
  alertID: (g) => g.id,
  current: (g) => ({ cpu: (g.cpu || 0) * 100, memory: g.memory?.usage, disk: g.disk?.total ? g.disk.usage : undefined }),
  facts: (g, state) => {
    const node = nodeOf(state, g.node, g.instance);
    return [['ID', g.id], ['VMID', g.vmid], ['Status', status(g.status)], ['Node', node ? link('node', node.id, g.node) : g.node], ['Instance', g.instance],
      ['OS', [g.osName, g.osVersion].filter(Boolean).join(' ')], ['Addresses', list(g.ipAddresses)], ['CPUs', g.cpus],
      ['Memory', g.memory ? `${bytes(g.memory.used)} of ${bytes(g.memory.total)}` : ''], ['Uptime', duration(g.uptime)], ['Tags', g.tags], ['Lock', g.lock], ['Template', g.template ? 'yes' : '']];
  },
  parts: (g, state) => [
    part('Disks', g.disks || [], [['Mount', (d) => d.mountpoint || d.device || ''], ['Type', (d) => d.type || '', '.5fr'], ['Usage', (d) => meter(d.usage, `${percent(d.usage)} of ${bytes(d.total)}`), '1.4fr', (d) => d.usage]]),
    part('Network interfaces', g.networkInterfaces || [], [['Name', (i) => i.name], ['MAC', (i) => i.mac || ''], ['Addresses', (i) => list(i.addresses), '2fr']]),
    guestBackups(state, g.vmid),
  ],
});
kinds.vm = guest('vm');
kinds.ct = guest('ct');
