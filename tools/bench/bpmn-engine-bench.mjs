// Runs tools/bench/benchmark.bpmn through the npm package bpmn-engine, the yardstick our engine's
// benchmark compares itself with. Prints one JSON line:
//   {"engine":"bpmn-engine","version":"25.0.1","instances":N,"seconds":S,"perSecond":R,...}
//
//   node tools/bench/bpmn-engine-bench.mjs [--instances N] [--warmup W] [--file benchmark.bpmn]
//
// What is measured, kept equal to our engine's run:
// - The XML is parsed and serialized once; every instance gets a new Engine on that parsed context.
// - Instance i starts with amount = 150 when i is even, 50 when odd, so both gateway branches run.
// - The service task calls a handler registered by name (`tw:handler="bench.noop"`) that completes at once.
// - The two user tasks are completed (signalled) as soon as they wait; an instance counts when it ends.
// - Instances run one after the other on Node's single thread: this is the one-core rate.
// bpmn-engine only resolves property paths in `${...}`, not comparisons, so the condition
// `${amount > 100}` is evaluated by a small resolver given to the engine (see `expressions` below):
// the BPMN file is the same one our engine runs, not rewritten.
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Engine } from 'bpmn-engine';
import * as elements from 'bpmn-elements';
import BpmnModdle from 'bpmn-moddle';
import serialize, { TypeResolver } from 'moddle-context-serializer';

const here = dirname(fileURLToPath(import.meta.url));
// The package does not export its package.json, so its version is read from the installed file.
const { version } = JSON.parse(readFileSync(join(here, 'node_modules', 'bpmn-engine', 'package.json'), 'utf8'));

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '100' },
    file: { type: 'string', default: join(here, 'benchmark.bpmn') },
  },
});
const instances = Number.parseInt(args.instances, 10);
const warmup = Number.parseInt(args.warmup, 10);
if (!(instances > 0) || !(warmup >= 0)) {
  console.error('usage: bpmn-engine-bench.mjs [--instances N>0] [--warmup W>=0] [--file path.bpmn]');
  process.exit(2);
}

// Our extension attributes, declared the way camunda-bpmn-moddle declares Camunda's, so that
// tw:handler reaches the serialized behaviour.
const twModdle = {
  name: 'TradingWorkflow',
  prefix: 'tw',
  uri: 'http://trading.workflow/schema/bpmn',
  xml: { tagAlias: 'lowerCase' },
  types: [
    { name: 'HandlerTask', isAbstract: true, extends: ['bpmn:ServiceTask', 'bpmn:SendTask'], properties: [{ name: 'handler', isAttr: true, type: 'String' }] },
    { name: 'AssignedTask', isAbstract: true, extends: ['bpmn:UserTask'], properties: [{ name: 'assignee', isAttr: true, type: 'String' }] },
  ],
};

// A service task with tw:handler calls the function registered under that name in `services`.
function HandlerService(activity) {
  this.activity = activity;
}
HandlerService.prototype.execute = function execute(executeMessage, callback) {
  const name = this.activity.behaviour.handler;
  const handler = this.activity.environment.services[name];
  if (typeof handler !== 'function') return callback(new Error(`no handler registered as ${name}`));
  return handler({ variables: this.activity.environment.variables, content: executeMessage.content }, callback);
};

// `${path op number}` comparisons; anything else goes to bpmn-engine's own resolver. An unknown
// variable is an error, as in our engine.
const defaultExpressions = new elements.Environment().expressions;
const comparison = /^\$\{\s*([A-Za-z_$][\w$.]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*\}$/;
const expressions = {
  isExpression: (text) => defaultExpressions.isExpression(text),
  hasExpression: (text) => defaultExpressions.hasExpression(text),
  resolveExpression(text, context, fnContext) {
    const match = typeof text === 'string' && comparison.exec(text);
    if (!match) return defaultExpressions.resolveExpression(text, context, fnContext);
    const [, path, op, literal] = match;
    let value = context.environment.variables;
    for (const key of path.split('.')) {
      if (value === null || typeof value !== 'object' || !(key in value)) throw new Error(`unknown variable ${path}`);
      value = value[key];
    }
    const right = Number(literal);
    switch (op) {
      case '>': return value > right;
      case '>=': return value >= right;
      case '<': return value < right;
      case '<=': return value <= right;
      case '==': return value === right;
      default: return value !== right;
    }
  },
};

const services = {
  'bench.noop': (_scope, next) => next(),
};

async function parseOnce(file) {
  const moddleContext = await new BpmnModdle({ tw: twModdle }).fromXML(readFileSync(file, 'utf8'));
  if (moddleContext.warnings.length) throw new Error(`parse warnings: ${moddleContext.warnings.map((w) => w.message).join('; ')}`);
  const extend = (behaviour) => (behaviour.handler ? { Service: HandlerService } : undefined);
  return serialize(moddleContext, TypeResolver(elements), extend);
}

function runInstance(sourceContext, index, takenFlows) {
  return new Promise((resolve, reject) => {
    const engine = new Engine({ name: `benchmark-${index}`, sourceContext, expressions, services });
    const listener = new EventEmitter();
    listener.on('wait', (api) => {
      if (api.type === 'bpmn:UserTask') api.signal({ completedBy: 'bench' });
    });
    if (takenFlows) listener.on('flow.take', (flow) => takenFlows.push(flow.id));
    engine.once('end', () => resolve());
    engine.once('error', reject);
    engine.execute({ listener, variables: { amount: index % 2 === 0 ? 150 : 50 } }).catch(reject);
  });
}

// Proves the run does what the numbers claim: each amount takes its branch and reaches the end.
async function verify(sourceContext) {
  for (const [index, branch] of [[0, 'Flow_Large'], [1, 'Flow_Small']]) {
    const taken = [];
    await runInstance(sourceContext, index, taken);
    const expected = ['Flow_ToPrepare', 'Flow_ToDecide', branch, 'Flow_ToFork', 'Flow_ToTaskA', 'Flow_ToTaskB', 'Flow_FromTaskA', 'Flow_FromTaskB', 'Flow_ToEnd'];
    const missing = expected.filter((id) => !taken.includes(id));
    const other = branch === 'Flow_Large' ? 'Flow_Small' : 'Flow_Large';
    if (missing.length || taken.includes(other)) {
      throw new Error(`instance ${index} took ${taken.join(',')}; missing ${missing.join(',')}`);
    }
  }
}

const sourceContext = await parseOnce(args.file);
await verify(sourceContext);
for (let i = 0; i < warmup; i++) await runInstance(sourceContext, i);

const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
for (let i = 0; i < instances; i++) await runInstance(sourceContext, i);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
// CPU time (user + system) of the timed loop: comparable with the .NET side's inst/CPU-s on a busy machine.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;

console.log(JSON.stringify({
  engine: 'bpmn-engine',
  version,
  instances,
  seconds: Number(seconds.toFixed(3)),
  perSecond: Number((instances / seconds).toFixed(1)),
  cpuSeconds: Number(cpuSeconds.toFixed(3)),
  perCpuSecond: Number((instances / cpuSeconds).toFixed(1)),
  warmup,
  node: process.version,
}));
