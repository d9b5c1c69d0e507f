// Read-only process diagram for the task page and the instance viewer: the instance's version of the procedure with
// the current steps highlighted, the path already taken shaded and incidents marked with their count.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

const viewers = new WeakMap();

/**
 * @param {HTMLElement} container
 * @param {string} xml the BPMN of the instance's version
 * @param {{ active?: string[], completed?: string[], incidents?: Record<string, number> }} state
 */
export async function render(container, xml, state) {
  viewers.get(container)?.destroy();
  const viewer = new NavigatedViewer({ container });
  viewers.set(container, viewer);
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const registry = viewer.get('elementRegistry');
  const overlays = viewer.get('overlays');
  const mark = (ids, marker) => {
    for (const id of ids ?? []) {
      if (registry.get(id)) {
        canvas.addMarker(id, marker);
      }
    }
  };
  mark(state.completed, 'tw-taken');
  mark(state.active, 'tw-active');
  for (const [id, count] of Object.entries(state.incidents ?? {})) {
    if (registry.get(id)) {
      canvas.addMarker(id, 'tw-incident');
      const badge = document.createElement('span');
      badge.className = 'tw-incident-count';
      badge.textContent = String(count);
      badge.title = String(count);
      overlays.add(id, 'tw-incident', { position: { top: -10, right: 10 }, html: badge });
    }
  }

  canvas.zoom('fit-viewport', 'auto');
  // Lets tests and assistive tools read the state without parsing SVG.
  container.dataset.active = (state.active ?? []).join(',');
  container.dataset.rendered = 'true';
}

export function destroy(container) {
  viewers.get(container)?.destroy();
  viewers.delete(container);
}
