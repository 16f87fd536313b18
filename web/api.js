// Calls to the Pulse API from the browser session: cookies go along, and every change carries
// the CSRF token the server set in the pulse_csrf cookie.

/** Raised for non-2xx answers; `status` and the server's `{error, code}` are kept. */
export class APIError extends Error {
  constructor(status, body) {
    super(body?.error || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.details = body?.details;
  }
}

const listeners = new Set();
/** Called with no arguments whenever the server says the session is missing or expired. */
export function onUnauthorized(listener) { listeners.add(listener); }

function csrfToken() {
  const match = document.cookie.split('; ').find((part) => part.startsWith('pulse_csrf='));
  return match ? decodeURIComponent(match.slice('pulse_csrf='.length)) : '';
}

/** The API token of a token sign-in (this tab only), or null for a browser session. */
export function apiToken() { return sessionStorage.getItem('pulse-token'); }
export function setAPIToken(token) { if (token) sessionStorage.setItem('pulse-token', token); else sessionStorage.removeItem('pulse-token'); }

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (apiToken()) headers['X-API-Token'] = apiToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken();
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401) listeners.forEach((listener) => listener());
  if (!response.ok) throw new APIError(response.status, data);
  return data;
}
