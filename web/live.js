// The live state: the first `/ws` message carries the whole state, later ones replace it. The
// server already coalesces to at most one message per second, so views re-render at most that often.

let state = null;
const subscribers = new Set();
let socket = null;
let retry = 1000;
let statusListener = () => {};

export function currentState() { return state; }

/** `listener(state)` now (if a state is known) and on every change; returns an unsubscribe. */
export function subscribe(listener) {
  subscribers.add(listener);
  if (state) listener(state);
  return () => subscribers.delete(listener);
}

export function onConnectionChange(listener) { statusListener = listener; }

let pollTimer = null;

/** With an API token (browsers cannot put one on a WebSocket), the state is polled instead. */
function poll(token) {
  const load = () => fetch('/api/state', { headers: { 'X-API-Token': token } })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((data) => { state = data; statusListener(true); subscribers.forEach((listener) => listener(state)); })
    .catch(() => statusListener(false));
  load();
  pollTimer = setInterval(load, 5000);
}

export function connect() {
  const token = sessionStorage.getItem('pulse-token');
  if (token) { if (!pollTimer) poll(token); return; }
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  socket = new WebSocket(`${scheme}://${location.host}/ws`);
  socket.onopen = () => { retry = 1000; statusListener(true); };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== 'rawData') return;
    state = message.data;
    subscribers.forEach((listener) => listener(state));
  };
  socket.onclose = () => {
    statusListener(false);
    socket = null;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 30000);
  };
}

export function disconnect() {
  if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  if (socket) { socket.onclose = null; socket.close(); socket = null; }
  statusListener(false);
}
