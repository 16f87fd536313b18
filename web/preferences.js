// Each caller's own dashboard preferences (GET /api/settings, POST /api/settings/update): theme,
// start view and refresh interval, edited in a dialog from the header, so a viewer has them too.
// An admin's defaults (`system`: theme, full width) apply where the caller chose nothing.
import { api } from './api.js';
import { h } from './dom.js';

const views = ['overview', 'proxmox', 'hosts', 'docker', 'kubernetes', 'storage', 'alerts', 'charts', 'settings'];
let preferences = null;

export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('pulse-theme', theme);
}

/** The theme before anyone is known: this browser's last one, else its colour-scheme preference. */
export function initialTheme() {
  return localStorage.getItem('pulse-theme') || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

/** Milliseconds between view refreshes; 0: on every live update. */
export function refreshInterval() { return (preferences?.refreshInterval || 0) * 1000; }

/** Loads the signed-in caller's preferences and puts them in force; resolves with them (or null). */
export async function loadPreferences() {
  try {
    preferences = await api('/api/settings');
  } catch {
    preferences = null;
    return null;
  }
  const theme = preferences.theme || preferences.system?.theme;
  if (theme) applyTheme(theme);
  document.body.classList.toggle('full-width', Boolean(preferences.system?.fullWidthMode));
  if (!location.hash && preferences.defaultView !== 'overview') history.replaceState(null, '', `#/${preferences.defaultView}`);
  return preferences;
}

/** The header's theme switch: the new theme is this caller's choice from now on. */
export function toggleTheme() {
  const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
  applyTheme(next);
  if (preferences) save({ theme: next }).catch(() => {});
}

function save(patch) {
  return api('/api/settings/update', { method: 'POST', body: patch }).then((updated) => { preferences = updated; return updated; });
}

function select(name, options, value) {
  const element = h('select', { name }, options.map(([optionValue, label]) => h('option', { value: optionValue }, label)));
  element.value = value;
  return element;
}

/** Opens the preferences dialog; `onSaved` runs after a successful save. */
export function editPreferences(onSaved) {
  if (!preferences) return;
  document.getElementById('preferences')?.remove();
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { method: 'dialog' },
    h('h2', {}, 'Your preferences'),
    h('label', {}, 'Theme', select('theme', [['', `the default (${preferences.system?.theme || 'browser'})`], ['light', 'light'], ['dark', 'dark']], preferences.theme)),
    h('label', {}, 'Open with', select('defaultView', views.map((view) => [view, view]), preferences.defaultView)),
    h('label', {}, 'Refresh the open view every (s, 0: live)',
      h('input', { name: 'refreshInterval', type: 'number', min: 0, max: 3600, value: String(preferences.refreshInterval) })),
    error,
    h('p', {}, h('button', { type: 'submit', class: 'primary' }, 'Save'), ' ', h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close() }, 'Cancel')));
  const dialog = h('dialog', { id: 'preferences' }, form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const patch = { theme: form.theme.value, defaultView: form.defaultView.value, refreshInterval: Number(form.refreshInterval.value) };
    save(patch).then((updated) => {
      const theme = updated.theme || updated.system?.theme;
      if (theme) applyTheme(theme);
      dialog.close();
      onSaved?.();
    }, (failure) => { error.textContent = failure.details?.field ? `${failure.message} (${failure.details.field})` : failure.message; });
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
