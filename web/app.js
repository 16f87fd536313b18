// The dashboard shell: login, theme, the hash router, and live re-rendering of the open view.
import { api, onUnauthorized, setAPIToken } from './api.js';
import { connect, disconnect, subscribe, onConnectionChange } from './live.js';
import * as resources from './view-resources.js';
import { alerts, charts } from './view-alerts.js';
import { settings } from './view-settings.js';

const views = { ...resources, alerts, charts, settings };
const main = document.getElementById('view');
let mounted = null;
let unsubscribe = () => {};

function route() {
  const name = (location.hash.replace(/^#\//, '') || 'overview').split('/')[0];
  const view = views[name] ? name : 'overview';
  document.querySelectorAll('#nav a').forEach((link) => link.classList.toggle('active', link.getAttribute('href') === `#/${view}`));
  unsubscribe();
  mounted?.unmount?.();
  mounted = views[view](main);
  // Renders are batched into animation frames: a burst of messages paints once.
  let pending = null;
  unsubscribe = subscribe((state) => {
    if (pending) { pending = state; return; }
    pending = state;
    requestAnimationFrame(() => { const latest = pending; pending = null; mounted.update(latest); });
  });
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('pulse-theme', theme);
}

function showLogin(reason = '') {
  disconnect();
  document.getElementById('logout').hidden = true;
  document.getElementById('login-error').textContent = reason;
  const dialog = document.getElementById('login');
  if (!dialog.open) dialog.showModal();
}

async function start() {
  applyTheme(localStorage.getItem('pulse-theme') || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  document.getElementById('theme').addEventListener('click', () => applyTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
  const live = document.getElementById('live');
  onConnectionChange((on) => { live.textContent = on ? 'live' : 'offline'; live.classList.toggle('on', on); });
  onUnauthorized(() => showLogin('Your session has ended; sign in again.'));
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST' }).catch(() => {});
    setAPIToken(null);
    // Signed in by a reverse proxy: only the proxy's logout ends that sign-in.
    if (proxyLogoutURL) { location.href = proxyLogoutURL; return; }
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
  window.addEventListener('hashchange', route);
  try {
    await api('/api/alerts/active');
    begin();
  } catch {
    showLogin();
  }
}

let proxyLogoutURL = '';

function begin() {
  const logout = document.getElementById('logout');
  logout.hidden = false;
  api('/api/security/status').then((status) => {
    // API-only mode (tokens, no dashboard password): the dashboard shows, it does not change.
    document.body.classList.toggle('read-only', Boolean(status.apiOnlyMode));
    // A viewer reads; the server refuses every change, and the dashboard does not offer one.
    document.body.classList.toggle('viewer', status.authRole === 'viewer');
    proxyLogoutURL = status.proxyAuthUsername ? status.proxyAuthLogoutURL : '';
    // A proxy user without a logout URL cannot log out here: the proxy would sign them straight back in.
    if (status.proxyAuthUsername && !proxyLogoutURL) logout.hidden = true;
  }).catch(() => {});
  connect();
  route();
}

start();
