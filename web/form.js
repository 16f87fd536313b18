// Settings forms: labelled fields from a short description, values read back as an object, and
// the API's refusals shown beside the field they name.
import { h } from './dom.js';

/** Shows `error` beside the input its `details.field` names (or under the form). */
export function showFieldError(form, error, fallback) {
  form.querySelectorAll('.field-error').forEach((node) => { node.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
  const field = error.details?.field || '';
  // "overrides.<id>.cpu" or "guestDefaults.cpu" name a pair: its clear level is what to fix.
  const last = field.split('.').pop();
  const input = [field, `${field}.clear`, `${last}.clear`, last].filter(Boolean)
    .map((name) => form.querySelector(`[name="${CSS.escape(name)}"]`)).find(Boolean);
  const slot = input?.closest('label')?.querySelector('.field-error');
  if (input && slot) {
    slot.textContent = error.message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  } else fallback.textContent = error.message;
}

/** A labelled input with a slot for its error. */
export function field(label, input) {
  const id = `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const error = h('span', { class: 'field-error', role: 'alert', id: `${id}-error` });
  input.setAttribute('aria-describedby', `${id}-error`);
  return h('label', { for: id }, h('span', {}, label), input, error);
}

/**
 * A `form.grid` of `fields` (`[name, label, type, extra]`; type text, password, number, url,
 * select with `extra.options`, checkbox). `onSubmit(values, element, fail)`: `fail(error)` puts
 * the error beside its field, or in the form's status line.
 */
export function form(fields, submitLabel, onSubmit, { className = '' } = {}) {
  const status = h('p', { role: 'status', class: 'muted' });
  const element = h('form', { class: `grid ${className}`.trim() },
    fields.map(([name, label, type = 'text', extra = {}]) => {
      if (type === 'checkbox') return h('label', { class: 'inline' }, h('input', { name, type, checked: extra.checked }), ` ${label}`);
      const input = type === 'select'
        ? h('select', { name }, extra.options.map((o) => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))))
        : h('input', { name, type, required: extra.required, placeholder: extra.placeholder || '', step: type === 'number' ? 'any' : undefined, autocomplete: type === 'password' ? 'new-password' : undefined });
      return field(label, input);
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, submitLabel)), status);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const input of element.querySelectorAll('input, select')) {
      values[input.name] = input.type === 'checkbox' ? input.checked : input.value;
    }
    onSubmit(values, element, (error) => showFieldError(element, error, status), (text) => { status.textContent = text; });
  });
  return element;
}

/** Fills `element`'s inputs from `values` by name (dotted names walk into objects). */
export function fill(element, values) {
  for (const input of element.querySelectorAll('input, select')) {
    const value = input.name.split('.').reduce((object, key) => object?.[key], values);
    if (value === undefined || input.type === 'password') continue;
    if (input.type === 'checkbox') input.checked = Boolean(value);
    else input.value = Array.isArray(value) ? value.join(', ') : value ?? '';
  }
}
