import {
  CheckboxEntry, isCheckboxEntryEdited,
  SelectEntry, isSelectEntryEdited,
  TextFieldEntry, isTextFieldEntryEdited,
  TextAreaEntry, isTextAreaEntryEdited,
  NumberFieldEntry, isNumberFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';
import { jsx } from '@bpmn-io/properties-panel/preact/jsx-runtime';

const HANDLER_TYPES = ['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask'];
const DAYS_PATTERN = /^P(\d+)(WD|CD)$/;

/**
 * Adds groups for the tw: extension attributes (Model/EXTENSIONS.md) to the standard BPMN groups. The pickers
 * read their choices from the `twLookups` service, which the page fills from the server.
 */
export default class TwPropertiesProvider {
  constructor(propertiesPanel, translate) {
    this._translate = translate;
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element) {
    return (groups) => {
      const t = this._translate;
      addEnglishName(element, groups);
      addEnglishDocumentation(element, groups);
      if (is(element, 'bpmn:UserTask')) {
        groups.push(group('tw-assignment', t('Assignment'), [
          entry('tw-assignee', AssigneeEntry, isSelectEntryEdited),
          entry('tw-candidateUsers', CandidateUsersEntry, isTextFieldEntryEdited),
        ]));
        groups.push(group('tw-roles', t('Candidate roles'), roleEntries()));
        groups.push(group('tw-form', t('Form'), [entry('tw-formKey', FormEntry, isSelectEntryEdited)]));
        groups.push(group('tw-dates', t('Dates and priority'), [
          entry('tw-dueDate', DueDateEntry, isTextFieldEntryEdited),
          entry('tw-followUpDate', FollowUpDateEntry, isTextFieldEntryEdited),
          entry('tw-priority', PriorityEntry, isTextFieldEntryEdited),
        ]));
      }

      if (isAny(element, HANDLER_TYPES) || messageSender(element)) {
        groups.push(group('tw-handler', t('Service handler'), [entry('tw-handler', HandlerEntry, isSelectEntryEdited)]));
      }

      if (timerDefinition(element)) {
        groups.push(group('tw-timer', t('Timer'), [
          entry('tw-timerType', TimerTypeEntry, isSelectEntryEdited),
          entry('tw-timerDays', TimerDaysEntry, isNumberFieldEntryEdited),
          entry('tw-timerDayKind', TimerDayKindEntry, isSelectEntryEdited),
          entry('tw-timerValue', TimerValueEntry, isTextFieldEntryEdited),
        ]));
      }

      if (is(element, 'bpmn:FlowNode') && !is(element, 'bpmn:StartEvent')) {
        groups.push(group('tw-async', t('Asynchronous continuation'), [
          entry('tw-async', AsyncEntry, isCheckboxEntryEdited),
          entry('tw-asyncAfter', AsyncAfterEntry, isCheckboxEntryEdited),
        ]));
      }

      return groups;
    };
  }
}

TwPropertiesProvider.$inject = ['propertiesPanel', 'translate'];

function group(id, label, entries) {
  return { id, label, entries };
}

function entry(id, component, isEdited, extra) {
  return { id, component, isEdited, ...extra };
}

function roleEntries() {
  return [
    entry('tw-candidateRoles-picker', CandidateRolesPicker),
    entry('tw-candidateRoles', CandidateRolesEntry, isTextFieldEntryEdited),
  ];
}

// ---------------------------------------------------------------- English name

// Elements whose name may have an English one (tw-moddle.json NameProps).
const NAMED_TYPES = ['bpmn:Process', 'bpmn:FlowElement', 'bpmn:Lane'];

/** "English name" (tw:nameEn) right under the name in the General group; a pool's goes under its process name. */
function addEnglishName(element, groups) {
  const general = groups.find((g) => g.id === 'general');
  if (!general) {
    return;
  }

  const pool = is(element, 'bpmn:Participant') && getBusinessObject(element).get('processRef');
  const after = pool ? 'processName' : 'name';
  const index = general.entries.findIndex((e) => e.id === after);
  if (index < 0 || (!pool && !isAny(element, NAMED_TYPES))) {
    return;
  }

  general.entries.splice(index + 1, 0, entry('tw-nameEn', EnglishNameEntry, isTextFieldEntryEdited));
}

function EnglishNameEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const modeling = useService('modeling');
  const bo = getBusinessObject(element);
  const pool = is(element, 'bpmn:Participant') ? bo.get('processRef') : null;
  const target = pool || bo;
  return jsx(TextFieldEntry, {
    element, id, debounce,
    label: translate('English name'),
    description: translate('Shown instead of the name when the interface is in English; may hold ${...} as the name does.'),
    getValue: () => target.get('tw:nameEn') || '',
    setValue: (value) => {
      const properties = { 'tw:nameEn': isBlank(value) ? undefined : value };
      if (pool) {
        modeling.updateModdleProperties(element, pool, properties);
      } else {
        modeling.updateProperties(element, properties);
      }
    },
  });
}

// ---------------------------------------------------------------- English documentation

// Elements whose documentation the engine reads, and so may have an English one (tw-moddle.json DocumentationProps).
const DOCUMENTED_TYPES = ['bpmn:Process', 'bpmn:FlowElement'];

/** "English documentation" (tw:documentationEn) under each documentation of the Documentation group. */
function addEnglishDocumentation(element, groups) {
  const documentation = groups.find((g) => g.id === 'documentation');
  if (!documentation) {
    return;
  }

  const insertAfter = (after, id) => {
    const index = documentation.entries.findIndex((e) => e.id === after);
    if (index >= 0) {
      documentation.entries.splice(index + 1, 0, entry(id, EnglishDocumentationEntry, isTextAreaEntryEdited));
    }
  };
  if (isAny(element, DOCUMENTED_TYPES)) {
    insertAfter('documentation', 'tw-documentationEn');
  }

  if (is(element, 'bpmn:Participant') && getBusinessObject(element).get('processRef')) {
    insertAfter('processDocumentation', 'tw-processDocumentationEn');
  }
}

function EnglishDocumentationEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const modeling = useService('modeling');
  const pool = id === 'tw-processDocumentationEn' ? getBusinessObject(element).get('processRef') : null;
  const target = pool || getBusinessObject(element);
  return jsx(TextAreaEntry, {
    element, id, debounce,
    label: translate(pool ? 'Process documentation in English' : 'English documentation'),
    description: translate('Shown instead of the documentation when the interface is in English; may hold ${...} as the documentation does.'),
    getValue: () => target.get('tw:documentationEn') || '',
    setValue: (value) => {
      const properties = { 'tw:documentationEn': isBlank(value) ? undefined : value };
      if (pool) {
        modeling.updateModdleProperties(element, pool, properties);
      } else {
        modeling.updateProperties(element, properties);
      }
    },
  });
}

// ---------------------------------------------------------------- helpers

function useAttribute(element, name) {
  const modeling = useService('modeling');
  const bo = getBusinessObject(element);
  return {
    get: () => bo.get(name),
    set: (value) => modeling.updateProperties(element, { [name]: isBlank(value) ? undefined : value }),
  };
}

function isBlank(value) {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Options for a select: a blank choice, the known values, and the current value when it is not one of them. */
function withCurrent(options, current, translate) {
  const result = [{ value: '', label: translate('<none>') }, ...options];
  if (!isBlank(current) && !options.some((o) => o.value === current)) {
    result.push({ value: current, label: `${current} (${translate('Not in the list')})` });
  }
  return result;
}

function splitList(text) {
  return (text || '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

// ---------------------------------------------------------------- user task

function AssigneeEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const lookups = useService('twLookups');
  const attr = useAttribute(element, 'tw:assignee');
  return jsx(SelectEntry, {
    element, id,
    label: translate('Assignee'),
    description: translate('A user, or an expression such as ${initiator}.'),
    getValue: () => attr.get() || '',
    setValue: attr.set,
    getOptions: () => withCurrent((lookups.users || []).map((u) => ({ value: u.id, label: u.label })), attr.get(), translate),
  });
}


const CandidateUsersEntry = textEntry('tw:candidateUsers', 'Candidate users', 'Comma-separated user ids, or an expression such as ${applicants}.');

/** One checkbox per platform role, each adding or removing that role in tw:candidateRoles. */
function CandidateRolesPicker(props) {
  const { element } = props;
  const lookups = useService('twLookups');
  const attr = useAttribute(element, 'tw:candidateRoles');
  const roles = lookups.roles || [];
  return jsx('div', {
    class: 'tw-role-picker',
    children: roles.map((role) => jsx(CheckboxEntry, {
      element,
      id: `tw-role-${role.id}`,
      label: role.label,
      getValue: () => splitList(attr.get()).includes(role.id),
      setValue: (checked) => {
        const current = splitList(attr.get()).filter((r) => r !== role.id);
        if (checked) {
          current.push(role.id);
        }
        attr.set(current.join(','));
      },
    }, role.id)),
  });
}


function FormEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const lookups = useService('twLookups');
  const attr = useAttribute(element, 'tw:formKey');
  return jsx(SelectEntry, {
    element, id,
    label: translate('Form key'),
    getValue: () => attr.get() || '',
    setValue: attr.set,
    getOptions: () => withCurrent((lookups.forms || []).map((f) => ({ value: f.key, label: f.label })), attr.get(), translate),
  });
}

const DATE_HELP = 'P5WD: 5 working days; P10CD: 10 calendar days (Civil Code); PT4H; an ISO date; or ${expression}.';

/** A text field bound to one tw: attribute of the element; label and description are translation keys. */
function textEntry(attribute, labelKey, descriptionKey) {
  return function TextEntry(props) {
    const { element, id } = props;
    const translate = useService('translate');
    const debounce = useService('debounceInput');
    const attr = useAttribute(element, attribute);
    return jsx(TextFieldEntry, {
      element, id, debounce,
      label: translate(labelKey),
      description: descriptionKey ? translate(descriptionKey) : undefined,
      getValue: () => attr.get() || '',
      setValue: attr.set,
    });
  };
}

const CandidateRolesEntry = textEntry('tw:candidateRoles', 'Other roles or expression');
const DueDateEntry = textEntry('tw:dueDate', 'Due date', DATE_HELP);
const FollowUpDateEntry = textEntry('tw:followUpDate', 'Follow-up date', DATE_HELP);
const PriorityEntry = textEntry('tw:priority', 'Priority');


// ---------------------------------------------------------------- service task

function HandlerEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const lookups = useService('twLookups');
  const attr = useAttribute(element, 'tw:handler');
  const handlers = lookups.handlers || [];
  const current = handlers.find((h) => h.name === attr.get());
  return jsx(SelectEntry, {
    element, id,
    label: translate('Handler'),
    description: current ? current.description : undefined,
    getValue: () => attr.get() || '',
    setValue: attr.set,
    getOptions: () => withCurrent(handlers.map((h) => ({ value: h.name, label: h.name })), attr.get(), translate),
  });
}

// ---------------------------------------------------------------- async

function AsyncEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const modeling = useService('modeling');
  const bo = getBusinessObject(element);
  return jsx(CheckboxEntry, {
    element, id,
    label: translate('Asynchronous before'),
    getValue: () => bo.get('tw:async') === true || bo.get('tw:asyncBefore') === true,
    setValue: (value) => modeling.updateProperties(element, { 'tw:async': value ? true : undefined, 'tw:asyncBefore': undefined }),
  });
}

function AsyncAfterEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const modeling = useService('modeling');
  const bo = getBusinessObject(element);
  return jsx(CheckboxEntry, {
    element, id,
    label: translate('Asynchronous after'),
    getValue: () => bo.get('tw:asyncAfter') === true,
    setValue: (value) => modeling.updateProperties(element, { 'tw:asyncAfter': value ? true : undefined }),
  });
}

// ---------------------------------------------------------------- timers

const TIMER_KINDS = ['timeDuration', 'timeDate', 'timeCycle'];

// A message throw or end event may name the handler that sends its message, like a send task.
function messageSender(element) {
  if (!isAny(element, ['bpmn:IntermediateThrowEvent', 'bpmn:EndEvent'])) {
    return false;
  }

  const definitions = getBusinessObject(element).eventDefinitions || [];
  return definitions.some((d) => is(d, 'bpmn:MessageEventDefinition'));
}

function timerDefinition(element) {
  const bo = getBusinessObject(element);
  const definitions = (bo && bo.eventDefinitions) || [];
  return definitions.find((d) => is(d, 'bpmn:TimerEventDefinition'));
}

function timerKind(definition) {
  return TIMER_KINDS.find((k) => definition.get(k)) || 'timeDuration';
}

function timerValue(definition) {
  const expression = definition.get(timerKind(definition));
  return (expression && expression.body) || '';
}

function useTimer(element) {
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const definition = timerDefinition(element);
  const write = (kind, value) => {
    const properties = {};
    for (const k of TIMER_KINDS) {
      properties[k] = undefined;
    }
    properties[kind] = bpmnFactory.create('bpmn:FormalExpression', { body: value || '' });
    modeling.updateModdleProperties(element, definition, properties);
  };
  return { definition, write };
}

function TimerTypeEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const timer = useTimer(element);
  return jsx(SelectEntry, {
    element, id,
    label: translate('Timer type'),
    getValue: () => timerKind(timer.definition),
    setValue: (kind) => timer.write(kind, timerValue(timer.definition)),
    getOptions: () => [
      { value: 'timeDuration', label: translate('Duration') },
      { value: 'timeDate', label: translate('Date') },
      { value: 'timeCycle', label: translate('Cycle') },
    ],
  });
}

/** Number of days for a P{n}WD / P{n}CD duration; editing it writes the duration with the chosen day kind. */
function TimerDaysEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const timer = useTimer(element);
  return jsx(NumberFieldEntry, {
    element, id, debounce,
    label: translate('Days'),
    min: 0,
    getValue: () => {
      const match = DAYS_PATTERN.exec(timerValue(timer.definition));
      return match ? Number(match[1]) : undefined;
    },
    setValue: (days) => {
      if (days === undefined || days === null || days === '') {
        return;
      }
      const match = DAYS_PATTERN.exec(timerValue(timer.definition));
      timer.write('timeDuration', `P${days}${match ? match[2] : 'WD'}`);
    },
  });
}

function TimerDayKindEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const timer = useTimer(element);
  return jsx(SelectEntry, {
    element, id,
    label: translate('Day kind'),
    getValue: () => {
      const match = DAYS_PATTERN.exec(timerValue(timer.definition));
      return match ? match[2] : '';
    },
    setValue: (kind) => {
      const match = DAYS_PATTERN.exec(timerValue(timer.definition));
      if (kind) {
        timer.write('timeDuration', `P${match ? match[1] : 1}${kind}`);
      }
    },
    getOptions: () => [
      { value: '', label: translate('<none>') },
      { value: 'WD', label: translate('Working days') },
      { value: 'CD', label: translate('Calendar days') },
    ],
  });
}

function TimerValueEntry(props) {
  const { element, id } = props;
  const translate = useService('translate');
  const debounce = useService('debounceInput');
  const timer = useTimer(element);
  return jsx(TextFieldEntry, {
    element, id, debounce,
    label: translate('Timer value'),
    description: translate(DATE_HELP),
    getValue: () => timerValue(timer.definition),
    setValue: (value) => timer.write(timerKind(timer.definition), value),
  });
}
