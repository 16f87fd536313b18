// The Assistant panel: ask a question, read the answer as it streams from
// POST /api/ai/execute/stream (server-sent events), and see each tool call it made with its input
// and output. Everything the model or a tool says goes in as text, never as HTML.
import { apiToken } from './api.js';
import { h } from './dom.js';

function csrfToken() {
  const match = document.cookie.split('; ').find((part) => part.startsWith('pulse_csrf='));
  return match ? decodeURIComponent(match.slice('pulse_csrf='.length)) : '';
}

/** Reads a server-sent event body, calling `onEvent` with each `data:` payload parsed. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) { try { onEvent(JSON.parse(line.slice(6))); } catch { /* not JSON: ignored */ } }
      }
    }
  }
}

export function assistant(container) {
  const prompt = h('textarea', { name: 'prompt', rows: '3', required: true, maxlength: '16000', placeholder: 'Which guests have no recent backup? Why is node pve1 busy?', 'aria-label': 'Question' });
  const ask = h('button', { type: 'submit', class: 'primary' }, 'Ask');
  const status = h('p', { class: 'muted', role: 'status', id: 'assistant-status' });
  const answer = h('div', { class: 'card assistant-answer', id: 'assistant-answer' });
  const calls = h('ol', { class: 'assistant-tools', id: 'assistant-tools' });
  let controller = null;

  const form = h('form', { class: 'grid', id: 'assistant-form' },
    h('label', { style: { gridColumn: '1 / -1' } }, 'Ask the assistant', prompt), ask);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    controller?.abort();
    controller = new AbortController();
    answer.replaceChildren();
    calls.replaceChildren();
    status.textContent = 'Thinking…';
    ask.disabled = true;
    const text = document.createTextNode('');
    answer.append(h('p', { class: 'assistant-text', style: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } }, text));
    const pending = new Map();
    try {
      const headers = { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() };
      if (apiToken()) headers['X-API-Token'] = apiToken();
      const response = await fetch('/api/ai/execute/stream', {
        method: 'POST', headers, credentials: 'same-origin', signal: controller.signal, body: JSON.stringify({ prompt: prompt.value }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new Error(body?.error || `HTTP ${response.status}`);
      }
      await readEvents(response, (event) => {
        if (event.type === 'content') text.textContent += event.data;
        else if (event.type === 'tool_start') {
          const item = h('li', {}, h('details', {}, h('summary', {}, `${event.data.name} ${event.data.input}`), h('pre', { class: 'muted' }, 'running…')));
          pending.set(event.data.name, item);
          calls.append(item);
        } else if (event.type === 'tool_end') {
          const item = pending.get(event.data.name) || calls.appendChild(h('li', {}));
          pending.delete(event.data.name);
          item.replaceChildren(h('details', {},
            h('summary', { class: event.data.success ? '' : 'error' }, `${event.data.name} ${event.data.input}`),
            h('pre', { style: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } }, event.data.output)));
        } else if (event.type === 'complete') {
          status.textContent = `${event.provider}:${event.model} · ${event.input_tokens} tokens in, ${event.output_tokens} out · ${event.tool_calls.length} tool call${event.tool_calls.length === 1 ? '' : 's'}`
            + (event.stop_reason === 'complete' ? '' : ` · stopped (${event.stop_reason})`);
        } else if (event.type === 'error') {
          status.textContent = event.data?.message || 'The assistant failed';
          status.className = 'error';
        }
      });
    } catch (error) {
      if (error.name !== 'AbortError') { status.textContent = error.message; status.className = 'error'; }
    } finally {
      ask.disabled = false;
      if (status.textContent === 'Thinking…') status.textContent = '';
    }
  });
  form.addEventListener('input', () => { status.className = 'muted'; });

  container.replaceChildren(
    h('h2', {}, 'Assistant'),
    h('p', { class: 'muted' }, 'Answers come from the model configured in the AI settings; it can only read this server\'s data.'),
    form, status, answer, h('h3', {}, 'Tool calls'), calls);
  return { update() {}, unmount() { controller?.abort(); } };
}
