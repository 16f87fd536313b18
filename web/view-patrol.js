// Patrol: the findings of the deterministic detectors, with acknowledge, snooze and dismiss, the
// findings set aside, recent runs, and "Run now". Findings are read from /api/ai/patrol/*, not
// from the live state, so the view reloads them after each action and when a run finishes.
import { api } from './api.js';
import { h, status, section, empty } from './dom.js';
import { VirtualTable } from './table.js';

const when = (value) => (value ? new Date(value).toLocaleString() : '–');
const evidence = (finding) => Object.entries(finding.evidence || {})
  .map(([name, value]) => `${name.replace(/_/g, ' ')} ${Number.isInteger(value) ? value : value.toFixed(1)}`).join(', ');

export function patrol(container) {
  const message = h('p', { class: 'muted', role: 'status' });
  const summary = h('p', { class: 'muted' });
  const detail = h('div', { class: 'incident' });
  const act = (finding, action, body, done) => async () => {
    try {
      await api(`/api/ai/patrol/${action}`, { method: 'POST', body: { finding_id: finding.id, ...body } });
      message.textContent = `${done}: ${finding.title}`;
      await load();
    } catch (error) { message.textContent = error.message; }
  };
  const snooze = (finding) => h('select', {
    'aria-label': 'Snooze', 'data-snooze': finding.id,
    onchange: (event) => { const hours = Number(event.target.value); if (hours) act(finding, 'snooze', { duration_hours: hours }, `Snoozed for ${hours} h`)(); },
  }, h('option', { value: '' }, 'Snooze…'), [[1, '1 hour'], [24, '1 day'], [168, '1 week']].map(([value, label]) => h('option', { value: String(value) }, label)));
  const dismiss = (finding) => h('select', {
    'aria-label': 'Dismiss', 'data-dismiss': finding.id,
    onchange: (event) => { const reason = event.target.value; if (reason) act(finding, 'dismiss', { reason }, 'Dismissed')(); },
  }, h('option', { value: '' }, 'Dismiss…'), [['not_an_issue', 'Not an issue'], ['expected_behavior', 'Expected'], ['will_fix_later', 'Will fix later']]
    .map(([value, label]) => h('option', { value }, label)));
  const show = (finding) => () => detail.replaceChildren(
    h('h3', {}, finding.title),
    h('p', {}, finding.description),
    h('p', {}, h('strong', {}, 'Suggested action: '), finding.recommendation),
    h('p', { class: 'muted' }, `Evidence: ${evidence(finding)}`),
    finding.explanation ? h('blockquote', {}, finding.explanation) : null,
    h('p', { class: 'muted small' }, `First seen ${when(finding.detected_at)}, last seen ${when(finding.last_seen_at)}, raised ${finding.times_raised}×`));
  const findings = new VirtualTable([
    { title: 'Severity', width: '.7fr', cell: (f) => status(f.severity) },
    { title: 'Resource', cell: (f) => f.resource_name },
    { title: 'Finding', width: '2.4fr', cell: (f) => h('a', { href: '#/patrol', onclick: (event) => { event.preventDefault(); show(f)(); } }, f.title) },
    { title: 'Since', cell: (f) => when(f.detected_at) },
    { title: '', width: '2fr', cell: (f) => h('span', {},
      f.acknowledged_at ? h('span', { class: 'muted' }, 'Acknowledged ')
        : h('button', { type: 'button', class: 'primary', 'data-ack': f.id, onclick: act(f, 'acknowledge', {}, 'Acknowledged') }, 'Acknowledge'),
      ' ', snooze(f), ' ', dismiss(f)) },
  ], { virtual: false });
  const setAside = new VirtualTable([
    { title: 'Severity', width: '.7fr', cell: (f) => status(f.severity) },
    { title: 'Finding', width: '2.4fr', cell: (f) => f.title },
    { title: 'Why', cell: (f) => (f.dismissed_reason ? f.dismissed_reason.replace(/_/g, ' ') : f.suppressed ? 'suppressed' : `snoozed until ${when(f.snoozed_until)}`) },
  ], { virtual: false });
  const runs = new VirtualTable([
    { title: 'Started', cell: (r) => when(r.started_at) },
    { title: 'Trigger', width: '.7fr', cell: (r) => r.trigger },
    { title: 'Status', width: '.7fr', cell: (r) => status(r.status === 'completed' ? 'healthy' : r.status) },
    { title: 'Checked', width: '.6fr', cell: (r) => String(r.resources_checked) },
    { title: 'New / resolved', width: '.8fr', cell: (r) => `${r.new_findings} / ${r.resolved_findings}` },
    { title: 'Took', width: '.6fr', cell: (r) => `${r.duration_ms} ms` },
  ], { virtual: false });
  const runNow = h('button', { type: 'button', class: 'primary', id: 'patrol-run', onclick: async () => {
    runNow.disabled = true;
    try {
      const run = await api('/api/ai/patrol/run', { method: 'POST' });
      message.textContent = run.status === 'completed'
        ? `Patrol checked ${run.resources_checked} resources: ${run.new_findings} new, ${run.resolved_findings} resolved`
        : `Patrol run failed: ${run.error || 'unknown error'}`;
      await load();
    } catch (error) { message.textContent = error.message; } finally { runNow.disabled = false; }
  } }, 'Run now');
  const noFindings = empty('No active findings.');

  async function load() {
    try {
      const [state, active, aside, recent] = await Promise.all([
        api('/api/ai/patrol/status'), api('/api/ai/patrol/findings'), api('/api/ai/patrol/dismissed'), api('/api/ai/patrol/runs?limit=10'),
      ]);
      const counts = state.summary;
      summary.textContent = `${counts.critical} critical, ${counts.warning} warning, ${counts.watch} watch, ${counts.info} info · `
        + (state.enabled ? `every ${Math.round(state.interval_ms / 60000)} min, next ${when(state.next_patrol_at)}` : 'scheduled runs off')
        + ` · last run ${when(state.last_patrol_at)}`;
      noFindings.hidden = active.length > 0;
      findings.update(active);
      setAside.update(aside);
      runs.update(recent);
    } catch (error) { message.textContent = error.message; }
  }

  container.replaceChildren(h('p', {}, runNow), summary, message, ...section('Findings', noFindings, findings.element), detail,
    ...section('Set aside', setAside.element), ...section('Recent runs', runs.element));
  load();
  // Findings change only when patrol runs or someone acts on them: poll the short status now and then.
  let lastRun = null;
  const timer = setInterval(async () => {
    try {
      const state = await api('/api/ai/patrol/status');
      if (state.last_patrol_at !== lastRun) { lastRun = state.last_patrol_at; load(); }
    } catch { /* shown at the next load */ }
  }, 30000);
  return { update() {}, unmount() { clearInterval(timer); } };
}
