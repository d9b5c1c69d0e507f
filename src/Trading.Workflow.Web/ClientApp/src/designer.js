// The procedure designer: the bpmn-js modeler with its properties panel, our tw: extensions and Chinese texts,
// driven from Blazor through JS interop (Components/Pages/Designer/DesignerPage.razor).
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';
import twDescriptor from './tw-moddle.json';
import twProviderModule from './provider/index.js';
import { translateModule } from './i18n/translate.js';

const PROBLEM_OVERLAY = 'tw-problem';
const PROBLEM_MARKERS = ['tw-has-error', 'tw-has-warning'];
const PATH_MARKERS = ['tw-path-taken', 'tw-path-active'];

let unloadGuards = 0;
const activeDesigners = new Set();

function beforeUnload(event) {
  for (const designer of activeDesigners) {
    if (designer.isDirty()) {
      event.preventDefault();
      event.returnValue = '';
      return '';
    }
  }
  return undefined;
}

/**
 * Creates a modeler in `canvas` with its properties panel in `panel`.
 * options: { language: 'zh-CN' | 'en', lookups: { roles, users, forms, handlers } }.
 * `dotnet` (optional) receives OnDirtyChanged(bool) and OnSelectionChanged(elementId).
 */
export function createDesigner(canvas, panel, options, dotnet) {
  return new Designer(canvas, panel, options || {}, dotnet || null);
}

/** Offers text as a file download. */
export function download(fileName, text, mimeType) {
  const blob = new Blob([text], { type: mimeType || 'application/xml' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

class Designer {
  constructor(canvas, panel, options, dotnet) {
    this._lookups = { roles: [], users: [], forms: [], handlers: [], ...(options.lookups || {}) };
    this._dotnet = dotnet;
    this._dirty = false;
    this._importing = false;
    this._modeler = new BpmnModeler({
      container: canvas,
      keyboard: { bindTo: document },
      propertiesPanel: { parent: panel },
      additionalModules: [
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        twProviderModule,
        translateModule(options.language),
        { twLookups: ['value', this._lookups] },
      ],
      moddleExtensions: { tw: twDescriptor },
    });

    const eventBus = this._modeler.get('eventBus');
    eventBus.on('commandStack.changed', () => {
      if (!this._importing) {
        this._setDirty(true);
      }
    });
    eventBus.on('selection.changed', (event) => {
      const selected = event.newSelection && event.newSelection[0];
      this._notify('OnSelectionChanged', selected ? selected.id : null);
    });

    activeDesigners.add(this);
    if (unloadGuards++ === 0) {
      window.addEventListener('beforeunload', beforeUnload);
    }
    // Browser tests and the console can reach the modeler of the page.
    window.twDesigner = this;
  }

  /** Shows a diagram; returns the import warnings as text. The designer is clean afterwards. */
  async open(xml) {
    this._importing = true;
    try {
      const result = await this._modeler.importXML(xml);
      this._modeler.get('canvas').zoom('fit-viewport', 'auto');
      return (result.warnings || []).map((w) => w.message);
    } finally {
      this._importing = false;
      this._setDirty(false);
    }
  }

  async getXml() {
    const { xml } = await this._modeler.saveXML({ format: true });
    return xml;
  }

  isDirty() {
    return this._dirty;
  }

  markSaved() {
    this._setDirty(false);
  }

  /** After an import: the diagram is not saved anywhere yet. */
  markDirty() {
    this._setDirty(true);
  }

  setLookups(lookups) {
    Object.assign(this._lookups, lookups || {});
    this._refreshPanel();
  }

  /** problems: [{ elementId, severity: 'Error' | 'Warning', message }]. Unknown ids get no overlay. */
  showProblems(problems) {
    this.clearProblems();
    const registry = this._modeler.get('elementRegistry');
    const overlays = this._modeler.get('overlays');
    const canvas = this._modeler.get('canvas');
    const byElement = new Map();
    for (const problem of problems || []) {
      if (problem.elementId && registry.get(problem.elementId)) {
        const list = byElement.get(problem.elementId) || [];
        list.push(problem);
        byElement.set(problem.elementId, list);
      }
    }
    for (const [elementId, list] of byElement) {
      const hasError = list.some((p) => p.severity === 'Error');
      canvas.addMarker(elementId, hasError ? 'tw-has-error' : 'tw-has-warning');
      const badge = document.createElement('div');
      badge.className = `tw-problem-badge ${hasError ? 'tw-problem-error' : 'tw-problem-warning'}`;
      badge.setAttribute('data-element-id', elementId);
      badge.title = list.map((p) => p.message).join('\n');
      badge.textContent = String(list.length);
      overlays.add(elementId, PROBLEM_OVERLAY, { position: { top: -12, right: 12 }, html: badge });
    }
    return byElement.size;
  }

  clearProblems() {
    this._modeler.get('overlays').remove({ type: PROBLEM_OVERLAY });
    this._removeMarkers(PROBLEM_MARKERS);
  }

  /** Colours the elements a dry run passed through, and those it stopped at. */
  showPath(takenIds, activeIds) {
    this.clearPath();
    const registry = this._modeler.get('elementRegistry');
    const canvas = this._modeler.get('canvas');
    for (const id of takenIds || []) {
      if (registry.get(id)) {
        canvas.addMarker(id, 'tw-path-taken');
      }
    }
    for (const id of activeIds || []) {
      if (registry.get(id)) {
        canvas.addMarker(id, 'tw-path-active');
      }
    }
  }

  clearPath() {
    this._removeMarkers(PATH_MARKERS);
  }

  /** Selects an element and scrolls it into view (from the problem list). */
  select(elementId) {
    const element = this._modeler.get('elementRegistry').get(elementId);
    if (!element) {
      return false;
    }
    this._modeler.get('selection').select(element);
    this._modeler.get('canvas').scrollToElement(element);
    return true;
  }

  /** The forms kept in the process's extension elements: [{ key, name, schema }]. */
  getForms() {
    const process = this._process();
    const values = (process && process.extensionElements && process.extensionElements.values) || [];
    return values.filter((v) => is(v, 'tw:Form')).map((v) => ({ key: v.key, name: v.name || '', schema: v.schema || '' }));
  }

  /** Adds or replaces the form with this key, as one undoable change. */
  saveForm(key, name, schema) {
    this._updateForms((forms, moddle) => {
      const existing = forms.find((f) => f.key === key);
      if (existing) {
        return forms.map((f) => (f === existing ? moddle.create('tw:Form', { key, name, schema }) : f));
      }
      return [...forms, moddle.create('tw:Form', { key, name, schema })];
    });
  }

  removeForm(key) {
    this._updateForms((forms) => forms.filter((f) => f.key !== key));
  }

  destroy() {
    activeDesigners.delete(this);
    if (--unloadGuards === 0) {
      window.removeEventListener('beforeunload', beforeUnload);
    }
    if (window.twDesigner === this) {
      window.twDesigner = undefined;
    }
    this._modeler.destroy();
  }

  _updateForms(change) {
    const process = this._process();
    if (!process) {
      return;
    }
    const moddle = this._modeler.get('moddle');
    const modeling = this._modeler.get('modeling');
    const root = this._modeler.get('canvas').getRootElement();
    let extensionElements = process.extensionElements;
    if (!extensionElements) {
      extensionElements = moddle.create('bpmn:ExtensionElements', { values: [] });
      modeling.updateModdleProperties(root, process, { extensionElements });
    }
    const values = extensionElements.values || [];
    const others = values.filter((v) => !is(v, 'tw:Form'));
    const forms = change(values.filter((v) => is(v, 'tw:Form')), moddle);
    for (const form of forms) {
      form.$parent = extensionElements;
    }
    modeling.updateModdleProperties(root, extensionElements, { values: [...others, ...forms] });
  }

  _process() {
    const root = this._modeler.get('canvas').getRootElement();
    const bo = root && root.businessObject;
    if (!bo) {
      return null;
    }
    if (is(bo, 'bpmn:Process')) {
      return bo;
    }
    if (is(bo, 'bpmn:Collaboration')) {
      const participant = (bo.participants || []).find((p) => p.processRef);
      return participant ? participant.processRef : null;
    }
    return null;
  }

  _removeMarkers(markers) {
    const canvas = this._modeler.get('canvas');
    for (const element of this._modeler.get('elementRegistry').getAll()) {
      for (const marker of markers) {
        if (canvas.hasMarker(element, marker)) {
          canvas.removeMarker(element, marker);
        }
      }
    }
  }

  _refreshPanel() {
    const selection = this._modeler.get('selection').get();
    const eventBus = this._modeler.get('eventBus');
    const elements = selection.length ? selection : [this._modeler.get('canvas').getRootElement()];
    eventBus.fire('elements.changed', { elements });
  }

  _setDirty(dirty) {
    if (this._dirty !== dirty) {
      this._dirty = dirty;
      this._notify('OnDirtyChanged', dirty);
    }
  }

  _notify(method, arg) {
    if (this._dotnet) {
      this._dotnet.invokeMethodAsync(method, arg).catch(() => { /* the page is gone */ });
    }
  }
}
