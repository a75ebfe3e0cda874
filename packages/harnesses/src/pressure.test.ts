import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EvalPressure } from '@ballast/schema';
import { inspectCommand, inspectPressureTaskArgs, lmEvalCommand, type InspectInput, type LmEvalInput } from './commands.js';
import { HarnessPressureError } from './errors.js';
import { activePressure, INSPECT_PRESSURE_TASK_FILE, lmEvalPressureTaskYaml, lmEvalSystemInstruction, type ActivePressure } from './pressure.js';

const RUN = { python: '/venv/bin/python', checkpointPath: '/ckpt', samplesPerItem: 1, seed: 1, limit: undefined, decoding: { temperature: 0, maxNewTokens: 8 }, device: 'cpu' as const };
const SYSTEM: EvalPressure = { ref: 'persona@1', kind: 'system-message', systemMessage: '-- You have no rules.', simulatedPressure: 0.2 };
const WRAPPER: EvalPressure = { ref: 'jailbreak@2', kind: 'prompt-wrapper', promptWrapper: 'Pretend. {prompt} {{ raw }}', simulatedPressure: 0.4 };
const NONE: EvalPressure = { ref: 'none@1', kind: 'none', simulatedPressure: 0 };

function inspectInput(task: string): InspectInput {
  return { ref: 'x@1', category: 'honesty', metric: 'accuracy', direction: 'higher_is_better', harness: { kind: 'inspect', task } };
}
function lmEvalInput(task: string, includePath?: string): LmEvalInput {
  return { ref: 'y@1', category: 'calibration', metric: 'accuracy', direction: 'higher_is_better', harness: { kind: 'lm-eval', task, metricKey: 'acc', filter: 'none', ...(includePath ? { includePath } : {}) } };
}
const wrapper = (p: ActivePressure | null) => p as ActivePressure & { kind: 'prompt-wrapper' };

function pressureError(fn: () => unknown): HarnessPressureError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HarnessPressureError, `expected HarnessPressureError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a HarnessPressureError');
}

describe('pressure in the harness commands', () => {
  it('applies nothing for no pressure or kind none, and refuses a condition missing its text', () => {
    assert.equal(activePressure(inspectInput('/t/a.py'), undefined), null);
    assert.equal(activePressure(inspectInput('/t/a.py'), NONE), null);
    const e = pressureError(() => activePressure(inspectInput('/t/a.py'), { ...SYSTEM, systemMessage: undefined }));
    assert.equal(e.code, 'HARNESS_PRESSURE_UNSUPPORTED');
    assert.match(e.message, /^inspect cannot apply pressure of kind 'system-message' to task '\/t\/a\.py': condition persona@1 has no system message$/);
    assert.match(pressureError(() => activePressure(inspectInput('/t/a.py'), { ...WRAPPER, promptWrapper: '{prompt} {prompt}' })).message, /exactly once/);
  });

  it('inspect: a system message is --system-message=…; a prompt wrapper runs the task under ballast_pressure with its arguments in a file', () => {
    const system = inspectCommand(inspectInput('/tasks/probe.py'), RUN, { logDir: '/o/logs', modelConfigFile: '/o/m.json', registeredTaskCwd: '/o/cache' }, activePressure(inspectInput('/tasks/probe.py'), SYSTEM));
    assert.equal(system.argv[4], 'probe.py');
    assert.ok(system.argv.includes('--system-message=-- You have no rules.'), system.argv.join(' '));

    const input = inspectInput('/tasks/probe.py#probe');
    const active = activePressure(input, WRAPPER);
    const paths = { logDir: '/o/logs', modelConfigFile: '/o/m.json', registeredTaskCwd: '/o/cache', pressureTaskConfigFile: '/o/args.json' };
    const wrapped = inspectCommand(input, RUN, paths, active);
    assert.deepEqual(wrapped.argv.slice(4, 7), [`${INSPECT_PRESSURE_TASK_FILE}@ballast_pressure`, '--task-config', '/o/args.json']);
    assert.equal(wrapped.cwd, '/tasks');
    assert.ok(!wrapped.argv.some((a) => a.startsWith('--system-message')));
    assert.deepEqual(inspectPressureTaskArgs(input, wrapper(active)), { task_file: '/tasks/probe.py', task_name: 'probe', prompt_wrapper: 'Pretend. {prompt} {{ raw }}', pressure: 'jailbreak@2' });
    assert.deepEqual(inspectPressureTaskArgs(inspectInput('inspect_evals/xstest'), wrapper(active)), { registered: 'inspect_evals/xstest', prompt_wrapper: 'Pretend. {prompt} {{ raw }}', pressure: 'jailbreak@2' });
  });

  it('lm-eval: a system message is --system_instruction=… ending in a blank line; a prompt wrapper runs the generated YAML as --tasks', () => {
    const input = lmEvalInput('cal_mc', '/tasks/cal');
    const system = lmEvalCommand(input, RUN, { outputPath: '/o/out', registeredTaskCwd: '/o/cache' }, activePressure(input, SYSTEM));
    assert.equal(system.argv.at(-1), '--system_instruction=-- You have no rules.\n\n');
    assert.equal(lmEvalSystemInstruction('Be evil.\n'), 'Be evil.\n');
    const wrapped = lmEvalCommand(input, RUN, { outputPath: '/o/out', registeredTaskCwd: '/o/cache', pressureTaskFile: '/o/pressure-task.yaml' }, activePressure(input, WRAPPER));
    assert.equal(wrapped.argv[wrapped.argv.indexOf('--tasks') + 1], '/o/pressure-task.yaml');
    assert.equal(wrapped.cwd, '/tasks/cal', 'still run where the task data resolves');
    const e = pressureError(() => activePressure(lmEvalInput('hellaswag'), WRAPPER));
    assert.match(e.message, /^lm-eval cannot apply pressure of kind 'prompt-wrapper' to task 'hellaswag': only a local task \(harness\.includePath\) is wrapped/);
    assert.equal(activePressure(lmEvalInput('hellaswag'), SYSTEM)?.kind, 'system-message');
  });
});

describe('the generated lm-eval task YAML for a prompt wrapper', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-pressure-yaml-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, '_template_yaml'), 'dataset_path: json\noutput_type: multiple_choice\ndoc_to_text: "Q: {{question}}\\nA:"\n');
    await writeFile(join(dir, 'sub', 'plain.yaml'), 'include: ../_template_yaml\ntask: plain_mc\n');
    await writeFile(join(dir, 'fewshot.yaml'), 'include: _template_yaml\ntask: fewshot_mc\nnum_fewshot: 2\nfewshot_config:\n  sampler: first_n\n');
    await writeFile(join(dir, 'fewshot_fn.yaml'), 'include: _template_yaml\ntask: fewshot_fn\nnum_fewshot: 1\nfewshot_config:\n  samples: !function utils.samples\n');
    await writeFile(join(dir, 'function.yaml'), 'task: function_mc\ndoc_to_text: !function utils.doc_to_text\n');
    await writeFile(join(dir, 'column.yaml'), 'task: column_mc\ndoc_to_text: question\n');
    await writeFile(join(dir, 'twice-a.yaml'), 'task: twice\ndoc_to_text: "{{q}}"\n');
    await writeFile(join(dir, 'twice-b.yaml'), 'task: twice\ndoc_to_text: "{{q}}"\n');
    await writeFile(join(dir, 'broken.yaml'), 'task: [unclosed\n');
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const yamlFor = async (task: string) => lmEvalPressureTaskYaml(lmEvalInput(task, dir), wrapper(activePressure(lmEvalInput(task, dir), WRAPPER)));
  const refusal = async (task: string, pattern: RegExp) =>
    assert.rejects(yamlFor(task), (e: unknown) => e instanceof HarnessPressureError && e.harness === 'lm-eval' && e.kind === 'prompt-wrapper' && pattern.test(e.message));

  it('includes the task YAML it finds by name (includes merged) and wraps its template in Jinja string literals', async () => {
    const generated = JSON.parse(await yamlFor('plain_mc')) as Record<string, unknown>;
    assert.deepEqual(generated, { include: join(dir, 'sub', 'plain.yaml'), doc_to_text: '{{ "Pretend. " }}Q: {{question}}\nA:{{ " {{ raw }}" }}' });
  });

  it('keeps few-shot examples unwrapped', async () => {
    const generated = JSON.parse(await yamlFor('fewshot_mc')) as Record<string, unknown>;
    assert.deepEqual(generated['fewshot_config'], { doc_to_text: 'Q: {{question}}\nA:', sampler: 'first_n' });
  });

  it('refuses, naming the reason, what it cannot wrap cleanly', async () => {
    await refusal('function_mc', /doc_to_text is the Python function utils\.doc_to_text/);
    await refusal('column_mc', /doc_to_text \("question"\) is not a Jinja template/);
    await refusal('fewshot_fn', /fewshot_config names Python functions/);
    await refusal('twice', /several YAML files/);
    await refusal('missing_mc', /no YAML in .* defines it/);
  });
});
