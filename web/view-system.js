// The run-time system settings form (GET /api/system/settings, POST /api/system/settings/update):
// a field a flag or environment variable fixes is shown disabled; an error names the field.
import { api } from './api.js';
import { h } from './dom.js';
import { field, showFieldError } from './form.js';

// Every key of GET /api/system/settings, grouped as the form shows them.
const fields = [
  ['pvePollingInterval', 'PVE poll interval (s)', 'number'], ['pbsPollingInterval', 'PBS poll interval (s)', 'number'],
  ['pmgPollingInterval', 'PMG poll interval (s)', 'number'], ['backupPollingEnabled', 'Poll backups', 'checkbox'],
  ['backupPollingInterval', 'Backup poll interval (s, 0: with each poll)', 'number'],
  ['connectionTimeout', 'Proxmox request timeout (s)', 'number'], ['publicURL', 'Public URL', 'url'],
  ['allowedOrigins', 'Allowed origins (comma separated)', 'text'], ['logLevel', 'Log level', ['debug', 'info', 'warn', 'error']],
  ['updateChannel', 'Update channel', ['stable', 'rc']], ['autoUpdateEnabled', 'Install updates automatically', 'checkbox'],
  ['autoUpdateCheckInterval', 'Check for updates every (hours)', 'number'], ['autoUpdateTime', 'Install updates at (HH:MM)', 'text'],
  ['discoveryEnabled', 'Discover Proxmox servers on the network', 'checkbox'], ['discoverySubnet', 'Discovery subnet (auto or CIDRs)', 'text'],
  ['temperatureMonitoringEnabled', 'Temperature monitoring', 'checkbox'],
  ['webhookAllowedPrivateCIDRs', 'Private networks webhooks may reach', 'text'],
  ['metricsRetentionRawHours', 'Keep raw metrics (hours)', 'number'], ['metricsRetentionMinuteHours', 'Keep minute metrics (hours)', 'number'],
  ['metricsRetentionHourlyDays', 'Keep hourly metrics (days)', 'number'], ['metricsRetentionDailyDays', 'Keep daily metrics (days)', 'number'],
  ['theme', 'Default theme', [['', 'follow the browser'], ['light', 'light'], ['dark', 'dark']]],
  ['fullWidthMode', 'Full-width dashboard', 'checkbox'],
  ['allowEmbedding', 'Allow embedding in other sites', 'checkbox'], ['allowedEmbedOrigins', 'Sites that may embed (comma separated)', 'text'],
  ['hideLocalLogin', 'Offer only single sign-on at login', 'checkbox'],
];

function input(name, type, value, locked) {
  const attributes = { name, disabled: locked, title: locked ? 'Set by a flag or environment variable' : undefined };
  if (Array.isArray(type)) {
    const options = type.map((option) => (Array.isArray(option) ? option : [option, option]));
    const select = h('select', attributes, options.map(([value, label]) => h('option', { value }, label)));
    select.value = value;
    return select;
  }
  const element = h('input', { ...attributes, type });
  if (type === 'checkbox') element.checked = Boolean(value);
  else element.value = value ?? '';
  return element;
}

/** Loads the settings into `container` as a form; `say` and `fail` report the outcome. */
export function systemSettings(container, say, fail) {
  api('/api/system/settings').then((settings) => {
    const status = h('p', { role: 'status', class: 'muted' });
    const locked = settings.envOverrides || {};
    const form = h('form', { class: 'grid', id: 'system-settings' },
      fields.map(([name, label, type]) => field(label, input(name, type, settings[name], Boolean(locked[name])))),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save system settings')), status);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body = {};
      for (const element of form.querySelectorAll('input, select')) {
        if (element.disabled) continue;
        const value = element.type === 'checkbox' ? element.checked : element.type === 'number' ? Number(element.value) : element.value;
        if (value !== settings[element.name]) body[element.name] = value;
      }
      api('/api/system/settings/update', { method: 'POST', body }).then((updated) => {
        Object.assign(settings, updated);
        say('System settings saved and in force');
        status.textContent = 'Saved and in force.';
      }, (error) => showFieldError(form, error, status));
    });
    container.replaceChildren(form);
  }, fail);
}
