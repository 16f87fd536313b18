// From an alert to the page of the resource it is about.
import { h, pageOf, guestPage } from './dom.js';

/** A link from an alert to its resource's page, when the resource is known. */
export function alertLink(alert, state) {
  const id = alert.resourceId || '';
  const target = id.startsWith('host:') ? pageOf('host', id.slice(5).split('/')[0])
    : id.startsWith('docker:') ? (id.includes('/') ? pageOf('docker-container', id.slice(7)) : pageOf('docker-host', id.slice(7)))
      : (state.nodes || []).some((n) => n.id === id) ? pageOf('node', id)
        : (state.storage || []).some((x) => x.id === id) ? pageOf('storage', id)
          : (() => { const g = [...(state.vms || []), ...(state.containers || [])].find((x) => x.id === id); return g ? guestPage(g) : null; })();
  return target ? h('a', { href: target, class: 'small' }, 'open') : null;
}
