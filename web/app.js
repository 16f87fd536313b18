// The dashboard shell: login, theme, the hash router, and live re-rendering of the open view.
import { api, apiToken, onUnauthorized, setAPIToken } from './api.js';
import { connect, disconnect, subscribe, onConnectionChange } from './live.js';
import * as resources from './view-resources.js';
import { alerts, charts } from './view-alerts.js';
import { h } from './dom.js';
import { initSearch, clearSearchListeners } from './search.js';
import { forgetRecentListeners } from './spark.js';
import { applyTheme, editPreferences, initialTheme, loadPreferences, refreshInterval, toggleTheme } from './preferences.js';

/**
 * A view whose module loads when it is first opened (settings, a resource's page), so the first
 * load fetches only what the overview and the tables need. States that arrive meanwhile are kept.
 */
function lazy(load) {
  return (container, part) => {
    let inner = null; let last = null; let gone = false;
    container.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    load().then((mount) => {
      if (gone) return;
      inner = mount(container, part);
      if (last) inner.update(last);
    });
    return { update(state) { last = state; inner?.update(state); }, unmount() { gone = true; inner?.unmount?.(); } };
  };
}

const settings = lazy(() => import('./view-settings.js').then((module) => module.settings));
const assistant = lazy(() => import('./view-assistant.js').then((module) => module.assistant));
const patrol = lazy(() => import('./view-patrol.js').then((module) => module.patrol));
const views = { ...resources, alerts, charts, patrol, settings, assistant };
/** The page kinds (`#/<kind>/<id>`, see resource-kinds.js) and the view whose rows lead to them. */
const pageKinds = { node: 'proxmox', vm: 'proxmox', ct: 'proxmox', host: 'hosts', 'docker-host': 'docker', 'docker-container': 'docker', k8s: 'kubernetes', storage: 'storage', datastore: 'storage' };
const resource = lazy(() => import('./view-resource.js').then((module) => (container, { kind, id }) => module.resource(container, kind, id)));
const main = document.getElementById('view');
let mounted = null;
let unsubscribe = () => {};

function route() {
  const [name, ...rest] = (location.hash.replace(/^#\//, '') || 'overview').split('/');
  // A resource's page (#/host/<id>) or a view with its part (#/settings/tokens); the ID is URI-encoded.
  const page = pageKinds[name] && rest.length ? { kind: name, id: decodeURIComponent(rest.join('/')) } : null;
  const view = page ? pageKinds[name] : views[name] ? name : 'overview';
  document.querySelectorAll('#nav a').forEach((link) => {
    const active = link.getAttribute('href') === `#/${view}`;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
  unsubscribe();
  mounted?.unmount?.();
  clearSearchListeners();
  forgetRecentListeners();
  mounted = page ? resource(main, page) : views[view](main, rest.join('/'));
  // Renders are batched into animation frames: a burst of messages paints once. With a refresh
  // interval chosen, the open view repaints at most that often.
  let pending = null;
  let lastPaint = 0;
  let rendered = false;
  unsubscribe = subscribe((state) => {
    if (pending) { pending = state; return; }
    pending = state;
    const wait = Math.max(0, lastPaint + refreshInterval() - Date.now());
    setTimeout(() => requestAnimationFrame(() => {
      const latest = pending; pending = null; lastPaint = Date.now(); mounted.update(latest);
      // The first paint of a view with data, for the browser's performance timeline.
      if (!rendered) { rendered = true; performance.mark(`pulse-render:${page ? page.kind : view}`); }
    }), wait);
  });
}

// What a refused single sign-on means, by the callback's oidc_error code.
const ssoErrors = {
  oidc_disabled: 'Single sign-on is not enabled.',
  oidc_init_failed: 'The identity provider could not be reached.',
  invalid_state: 'That sign-in link has expired or was already used; start again.',
  state_mismatch: 'That sign-in was started in another browser; start again here.',
  missing_state: 'The identity provider sent an incomplete answer.',
  missing_code: 'The identity provider sent an incomplete answer.',
  exchange_failed: 'Pulse could not complete the sign-in with the identity provider.',
  invalid_id_token: 'The identity provider\'s answer could not be verified.',
  group_restricted: 'Your account is not in a group allowed to use Pulse.',
  domain_restricted: 'Your e-mail domain is not allowed to use Pulse.',
  email_restricted: 'Your e-mail address is not allowed to use Pulse.',
  access_denied: 'The sign-in was cancelled at the identity provider.',
};

// The callback's result in the address (?oidc=...): read once, then removed.
function takeSSOResult() {
  const params = new URLSearchParams(location.search);
  if (!params.has('oidc')) return '';
  const code = params.get('oidc') === 'error' ? (params.get('oidc_error') || 'unknown') : '';
  history.replaceState(null, '', location.pathname + location.hash);
  return code ? (ssoErrors[code] || `Single sign-on failed (${code}).`) : '';
}

let localLoginRequested = false;

function showLogin(reason = '') {
  disconnect();
  document.getElementById('logout').hidden = true;
  document.getElementById('preferences-button').hidden = true;
  document.getElementById('login-error').textContent = reason;
  api('/api/security/status').then((status) => {
    document.getElementById('sso').hidden = !status.oidcEnabled;
    // Single sign-on first; the password form stays one click away for when the provider is down.
    const localShown = !status.hideLocalLogin || localLoginRequested;
    document.getElementById('local-login').hidden = !localShown;
    document.getElementById('show-local').hidden = localShown;
  }).catch(() => {});
  const dialog = document.getElementById('login');
  if (!dialog.open) dialog.showModal();
}

async function start() {
  applyTheme(initialTheme());
  document.getElementById('theme').addEventListener('click', toggleTheme);
  document.getElementById('preferences-button').addEventListener('click', () => editPreferences(route));
  const live = document.getElementById('live');
  onConnectionChange((on) => { live.textContent = on ? 'live' : 'offline'; live.classList.toggle('on', on); });
  onUnauthorized(() => showLogin('Your session has ended; sign in again.'));
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST' }).catch(() => {});
    setAPIToken(null);
    // Signed in by a reverse proxy or an identity provider: only its logout ends that sign-in.
    if (proxyLogoutURL) { location.href = proxyLogoutURL; return; }
    if (ssoLogoutURL) { location.href = ssoLogoutURL; return; }
    showLogin();
  });
  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      if (form.token.value) {
        setAPIToken(form.token.value.trim());
        await api('/api/alerts/active');
      } else {
        await api('/api/login', { method: 'POST', body: { username: form.username.value, password: form.password.value, rememberMe: form.rememberMe.checked } });
      }
      form.reset();
      document.getElementById('login').close();
      begin();
    } catch (error) {
      setAPIToken(null);
      document.getElementById('login-error').textContent = error.code === 'locked_out' ? error.message
        : `${error.message}${error.details?.remaining ? ` (${error.details.remaining} attempts left)` : ''}`;
    }
  });
  document.getElementById('show-local-login').addEventListener('click', () => {
    localLoginRequested = true;
    document.getElementById('local-login').hidden = false;
    document.getElementById('show-local').hidden = true;
  });
  window.addEventListener('hashchange', route);
  initSearch(document.getElementById('search'));
  // The skip link focuses the view without touching the address (the hash is the router's).
  document.querySelector('a.skip').addEventListener('click', (event) => { event.preventDefault(); main.focus(); });
  const ssoError = takeSSOResult();
  // Who is calling, from the open status route: a signed-out browser asks nothing that would
  // answer 401. A token kept in this tab is tried, since the status does not name token callers.
  try {
    const status = await api('/api/security/status');
    if (status.authUsername || status.authRole || status.proxyAuthUsername || status.oidcUsername) { begin(); return; }
    if (apiToken()) { await api('/api/alerts/active'); begin(); return; }
    showLogin(ssoError);
  } catch {
    showLogin(ssoError);
  }
}

let proxyLogoutURL = '';
let ssoLogoutURL = '';

function begin() {
  const logout = document.getElementById('logout');
  logout.hidden = false;
  api('/api/security/status').then((status) => {
    // API-only mode (tokens, no dashboard password): the dashboard shows, it does not change.
    document.body.classList.toggle('read-only', Boolean(status.apiOnlyMode));
    // A viewer reads; the server refuses every change, and the dashboard does not offer one.
    document.body.classList.toggle('viewer', status.authRole === 'viewer');
    proxyLogoutURL = status.proxyAuthUsername ? status.proxyAuthLogoutURL : '';
    ssoLogoutURL = status.oidcUsername ? status.oidcLogoutURL : '';
    // A proxy user without a logout URL cannot log out here: the proxy would sign them straight back in.
    if (status.proxyAuthUsername && !proxyLogoutURL) logout.hidden = true;
  }).catch(() => {});
  connect();
  loadPreferences().then((preferences) => { document.getElementById('preferences-button').hidden = !preferences; }).finally(route);
}

start();
