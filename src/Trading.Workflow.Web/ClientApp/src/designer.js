// The procedure designer: the bpmn-js modeler with its properties panel, our tw: extensions and Chinese texts,
// driven from Blazor through JS interop (Components/Pages/Designer/DesignerPage.razor).
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import twDescriptor from './tw-moddle.json';
import twProviderModule from './provider/index.js';
import { translateModule } from './i18n/translate.js';
import { layoutProcess } from 'bpmn-auto-layout';

const PROBLEM_OVERLAY = 'tw-problem';
const PROBLEM_MARKERS = ['tw-has-error', 'tw-has-warning'];
const PATH_MARKERS = ['tw-path-taken', 'tw-path-active'];
const FIT_MARGIN = 24;
const MIN_SCALE = 0.7;

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

/** Whether the XML has diagram layout (a BPMNDiagram element, under any prefix); bpmn-js cannot show a model without. */
function hasDiagram(xml) {
  return /<([A-Za-z_][\w.-]*:)?BPMNDiagram[\s/>]/.test(xml);
}

class Designer {
  constructor(canvas, panel, options, dotnet) {
    this._lookups = { roles: [], users: [], forms: [], handlers: [], ...(options.lookups || {}) };
    this._dotnet = dotnet;
    this._dirty = false;
    this._importing = false;
    // Counts every change of the diagram (edits, undo, opening another): the server fetches the XML again only
    // when this moved since its last fetch.
    this._revision = 0;
    this._modeler = new BpmnModeler({
      // Keyboard shortcuts bind to the canvas by themselves since diagram-js 15 (bpmn-js 18); no bindTo.
      container: canvas,
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
      this._revision++;
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

  /**
   * Shows a diagram; returns { warnings, laidOut }: the import warnings as text, and whether the file had no diagram
   * layout (BPMN DI) so that one was generated here (as Camunda, Flowable and hand-written files often have none).
   * A file that cannot be shown throws an Error whose message says why. The designer is clean afterwards.
   */
  async open(xml) {
    this._revision++;
    this._importing = true;
    try {
      const laidOut = !hasDiagram(xml);
      const result = await this._modeler.importXML(laidOut ? await layoutProcess(xml) : xml);
      this.fit();
      return { warnings: (result.warnings || []).map((w) => w.message), laidOut };
    } finally {
      this._importing = false;
      this._setDirty(false);
    }
  }

  /**
   * Shows the whole diagram beside the palette: scaled to fit what is left of the canvas, but never below
   * MIN_SCALE (a large procedure stays readable and scrolls) nor above 1 (a small one is not blown up).
   */
  fit() {
    const canvas = this._modeler.get('canvas');
    const container = canvas.getContainer();
    const palette = container.querySelector('.djs-palette');
    const left = (palette ? palette.getBoundingClientRect().width : 0) + FIT_MARGIN;
    const width = container.clientWidth - left - FIT_MARGIN;
    const height = container.clientHeight - 2 * FIT_MARGIN;
    const inner = canvas.viewbox().inner;
    if (width <= 0 || height <= 0 || !inner.width || !inner.height) {
      canvas.zoom('fit-viewport', 'auto');
      return;
    }
    const scale = Math.max(MIN_SCALE, Math.min(1, width / inner.width, height / inner.height));
    canvas.viewbox({
      x: inner.x - left / scale,
      y: inner.y - FIT_MARGIN / scale,
      width: container.clientWidth / scale,
      height: container.clientHeight / scale,
    });
  }

  /**
   * Adds or replaces the form `key` of process `processId` (a tw:form in the process's extension elements), as an
   * undoable change: the form is saved with the draft, versioned and exported with the diagram.
   */
  setForm(processId, key, name, json) {
    const process = this._findProcess(processId);
    if (!process) {
      return false;
    }
    const moddle = this._modeler.get('moddle');
    const modeling = this._modeler.get('modeling');
    const form = moddle.create('tw:Form', { key, name, body: json });
    const old = process.businessObject.get('extensionElements');
    const values = (old ? old.get('values') : []).filter((v) => !(v.$instanceOf('tw:Form') && v.get('key') === key));
    const extensionElements = moddle.create('bpmn:ExtensionElements', { values: [...values, form] });
    form.$parent = extensionElements;
    values.forEach((v) => { v.$parent = extensionElements; });
    modeling.updateModdleProperties(process.element, process.businessObject, { extensionElements });
    return true;
  }

  /** The process with the id, with the diagram element that stands for it (the root, or its participant). */
  _findProcess(processId) {
    const canvas = this._modeler.get('canvas');
    const root = canvas.getRootElement();
    if (root.businessObject.$instanceOf('bpmn:Process')) {
      return root.businessObject.id === processId ? { element: root, businessObject: root.businessObject } : null;
    }
    const participant = this._modeler.get('elementRegistry')
      .find((e) => e.type === 'bpmn:Participant' && e.businessObject.processRef && e.businessObject.processRef.id === processId);
    return participant ? { element: participant, businessObject: participant.businessObject.processRef } : null;
  }

  async getXml() {
    const { xml } = await this._modeler.saveXML({ format: true });
    return xml;
  }

  /**
   * The XML as a stream for the server: a procedure with its forms easily passes SignalR's 32 KB limit on one
   * message from the browser, which would end the circuit (and the unsaved diagram with it).
   */
  async getXmlStream() {
    const xml = await this.getXml();
    // Blazor streams a typed array returned to an IJSStreamReference call.
    return new TextEncoder().encode(xml);
  }

  /** How many times the diagram changed since the designer was created. */
  revision() {
    return this._revision;
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
