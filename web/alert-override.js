// A resource's own alert thresholds (the alert configuration's `overrides[<alert ID>]`): a
// trigger and clear level per metric, "no alerts", and a note. Refusals show beside the field.
import { api } from './api.js';
import { h } from './dom.js';
import { field, showFieldError } from './form.js';

const labels = { cpu: 'CPU %', memory: 'Memory %', disk: 'Disk %', temperature: 'Temperature °C', usage: 'Usage %', diskRead: 'Disk read B/s', diskWrite: 'Disk write B/s', networkIn: 'Network in B/s', networkOut: 'Network out B/s' };

/** The override form of alert ID `alertID` for `metrics`. */
export function overrideForm(alertID, metrics) {
  const message = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'grid override-form', 'data-alert-id': alertID });
  const number = (name) => h('input', { name, type: 'number', step: 'any', inputmode: 'decimal', placeholder: 'default' });
  const disabled = h('input', { name: 'disabled', type: 'checkbox' });
  const note = h('input', { name: 'note', type: 'text', maxlength: '500' });
  form.append(
    ...metrics.flatMap((metric) => [field(`${labels[metric] || metric} trigger`, number(`${metric}.trigger`)), field(`${labels[metric] || metric} clear`, number(`${metric}.clear`))]),
    h('label', { class: 'inline' }, disabled, ' No alerts for this resource'), field('Note', note),
    h('button', { type: 'submit', class: 'primary' }, 'Save override'), h('button', { type: 'button', 'data-remove-override': '', onclick: () => save(true) }, 'Remove override'), message);
  let config = null;
  const load = () => api('/api/alerts/').then((reply) => {
    config = reply;
    const current = reply.overrides?.[alertID] || {};
    for (const metric of metrics) {
      form.elements[`${metric}.trigger`].value = current[metric]?.trigger ?? '';
      form.elements[`${metric}.clear`].value = current[metric]?.clear ?? '';
    }
    disabled.checked = Boolean(current.disabled);
    note.value = current.note || '';
    message.textContent = reply.overrides?.[alertID] ? 'This resource has its own thresholds.' : 'This resource uses the defaults.';
  }, (error) => { message.textContent = error.message; });
  async function save(remove) {
    const overrides = { ...(config?.overrides || {}) };
    if (remove) delete overrides[alertID];
    else {
      const entry = {};
      for (const metric of metrics) {
        const trigger = form.elements[`${metric}.trigger`].value; const clear = form.elements[`${metric}.clear`].value;
        if (trigger === '' && clear === '') continue;
        entry[metric] = { trigger: Number(trigger), clear: clear === '' ? Math.max(0, Number(trigger) - 5) : Number(clear) };
      }
      if (disabled.checked) entry.disabled = true;
      if (note.value.trim()) entry.note = note.value.trim();
      overrides[alertID] = entry;
    }
    try {
      await api('/api/alerts/', { method: 'POST', body: { overrides } });
      await load();
      message.textContent = remove ? 'Override removed.' : 'Override saved.';
    } catch (error) { showFieldError(form, error, message); }
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); save(false); });
  load();
  return form;
}
