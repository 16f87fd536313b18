// The search box in the header: one term that filters every table (name, tag, ID, address).
const listeners = new Set();
let term = '';

/** The current term, lower-cased and trimmed. */
export function searchTerm() { return term; }

/** `listener()` on every change of the term; returns an unsubscribe. */
export function onSearch(listener) { listeners.add(listener); return () => listeners.delete(listener); }

/** Forgets every listener (the open view's tables go when the view changes). */
export function clearSearchListeners() { listeners.clear(); }

/** Wires the header's input (and "/" to focus it). */
export function initSearch(input) {
  input.addEventListener('input', () => { term = input.value.trim().toLowerCase(); listeners.forEach((listener) => listener()); });
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '')) { event.preventDefault(); input.focus(); }
  });
}
