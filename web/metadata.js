// User metadata on the resource tables: the name links to the resource's page and ↗ to the custom
// (console) URL, the notes and description show on hover, and a small button edits them in a dialog.
import { api } from './api.js';
import { h } from './dom.js';

/** Where each kind's records live; `id` is the record's ID (guest ID, host ID, host:container). */
const paths = {
  guest: (id) => `/api/guests/metadata/${encodeURIComponent(id)}`,
  host: (id) => `/api/hosts/metadata/${encodeURIComponent(id)}`,
  docker: (id) => `/api/docker/metadata/${encodeURIComponent(id)}`,
  dockerHost: (id) => `/api/docker/hosts/metadata/${encodeURIComponent(id)}`,
};

const safeURL = (text) => (/^https?:\/\//i.test(text || '') ? text : null);

function hoverText(metadata) {
  if (!metadata) return undefined;
  const lines = [metadata.description, ...(metadata.notes || [])].filter(Boolean);
  if (metadata.tags?.length) lines.push(`Tags: ${metadata.tags.join(', ')}`);
  return lines.length ? lines.join('\n') : undefined;
}

/** The name cell: a link to the resource's page (`page`), the custom URL beside it, notes on hover, and an edit button. */
export function nameCell(label, kind, id, metadata, page) {
  const url = safeURL(metadata?.customUrl);
  const name = page
    ? h('a', { href: page, class: 'row-link', title: hoverText(metadata) }, label)
    : h('span', { title: hoverText(metadata) }, label);
  const external = url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', title: hoverText(metadata) || url, 'aria-label': `Open ${label} (custom URL)`, class: 'external' }, '↗') : null;
  const marker = metadata?.notes?.length ? h('span', { class: 'note-marker', title: hoverText(metadata) }, '¶') : null;
  const edit = h('button', {
    class: 'edit-metadata', type: 'button', title: 'Edit URL and notes', 'aria-label': `Edit URL and notes of ${label}`,
    onclick: (event) => { event.stopPropagation(); editMetadata(kind, id, label, metadata); },
  }, '✎');
  return h('span', { class: 'name-cell' }, name, external, marker, edit);
}

let dialog = null;

/** Opens the editor of resource `id`'s URL, description, tags and notes. */
export function editMetadata(kind, id, label, metadata) {
  dialog?.remove();
  const field = (name, title, value, multiline) => {
    const input = multiline ? h('textarea', { name, rows: 4 }) : h('input', { name, type: name === 'customUrl' ? 'url' : 'text' });
    input.value = value || '';
    return h('label', {}, title, input);
  };
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { method: 'dialog' },
    h('h3', {}, `Metadata of ${label}`),
    field('customUrl', 'URL (http or https)', metadata?.customUrl),
    field('description', 'Description', metadata?.description),
    field('tags', 'Tags (comma separated)', (metadata?.tags || []).join(', ')),
    field('notes', 'Notes (one per line)', (metadata?.notes || []).join('\n'), true),
    error,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { class: 'primary', type: 'submit' }, 'Save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name) => form.elements[name].value;
    const body = {
      customUrl: value('customUrl').trim(),
      description: value('description').trim(),
      tags: value('tags').split(',').map((tag) => tag.trim()).filter(Boolean),
      notes: value('notes').split('\n').map((note) => note.trim()).filter(Boolean),
    };
    try {
      await api(paths[kind](id), { method: 'PUT', body });
      dialog.close();
    } catch (failure) {
      error.textContent = failure.details?.field ? `${failure.message} (${failure.details.field})` : failure.message;
    }
  });
  dialog = h('dialog', { class: 'metadata-editor' }, form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
