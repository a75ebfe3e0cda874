import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, type ScalarTag } from 'yaml';
import type { EvalPressure, HarnessBenchmarkInput } from '@ballast/schema';
import { HarnessPressureError } from './errors.js';

/**
 * Adversarial pressure in the real harnesses (docs/evaluation.md, "Pressure"). A `system-message`
 * condition goes to the harness's own system-message option: inspect's `--system-message` (a system
 * message before the item's own messages on every generate call of the evaluated model) and lm-eval's
 * `--system_instruction`. A `prompt-wrapper` condition wraps each item's prompt: for inspect, the task
 * runs under python/ballast_pressure.py, which puts a solver before the task's own; for lm-eval, a
 * generated task YAML includes the task's own and wraps its Jinja `doc_to_text`.
 */

/** A condition that applies something (kind `none`, or no pressure at all, applies nothing). */
export type ActivePressure =
  | { readonly ref: string; readonly kind: 'system-message'; readonly systemMessage: string }
  | { readonly ref: string; readonly kind: 'prompt-wrapper'; readonly before: string; readonly after: string; readonly promptWrapper: string };

const PLACEHOLDER = '{prompt}';

/** The inspect task file that runs another task under a prompt wrapper, and its task's name. */
export const INSPECT_PRESSURE_TASK_FILE = fileURLToPath(new URL('../python/ballast_pressure.py', import.meta.url));
export const INSPECT_PRESSURE_TASK = 'ballast_pressure';

/**
 * What a job's pressure applies to every item, or null for none. Checks what the harness and task
 * allow without reading any file: every combination except an lm-eval prompt wrapper on a task without
 * an include path (lm-eval's own tasks are not wrapped).
 *
 * @throws HarnessPressureError naming the harness, the kind and the task
 */
export function activePressure(benchmark: HarnessBenchmarkInput, pressure: EvalPressure | undefined): ActivePressure | null {
  if (pressure === undefined || pressure.kind === 'none') return null;
  const { harness } = benchmark;
  const refuse = (reason: string) => new HarnessPressureError(harness.kind, pressure.kind, harness.task, reason);
  if (pressure.kind === 'system-message') {
    if (pressure.systemMessage === undefined || pressure.systemMessage === '') throw refuse(`condition ${pressure.ref} has no system message`);
    return { ref: pressure.ref, kind: 'system-message', systemMessage: pressure.systemMessage };
  }
  const parts = (pressure.promptWrapper ?? '').split(PLACEHOLDER);
  if (parts.length !== 2) throw refuse(`condition ${pressure.ref}'s prompt wrapper must contain ${PLACEHOLDER} exactly once`);
  if (harness.kind === 'lm-eval' && harness.includePath === undefined) {
    throw refuse("only a local task (harness.includePath) is wrapped: Ballast wraps the Jinja doc_to_text of the task's own YAML, and does not rewrite tasks of lm-eval's registry");
  }
  return { ref: pressure.ref, kind: 'prompt-wrapper', before: parts[0]!, after: parts[1]!, promptWrapper: pressure.promptWrapper! };
}

/**
 * lm-eval's `--system_instruction` value. lm-eval 0.4.13 joins a system instruction to a task's
 * description with the task's few-shot delimiter, but without a description puts it directly before
 * the prompt text; a blank line (the default delimiter) keeps it a turn of its own.
 */
export function lmEvalSystemInstruction(systemMessage: string): string {
  return /\s$/.test(systemMessage) ? systemMessage : `${systemMessage}\n\n`;
}

/** A `!function module.name` value in an lm-eval task YAML. */
class PythonFunctionRef {
  constructor(readonly name: string) {}
}
const FUNCTION_TAG: ScalarTag = { tag: '!function', resolve: (name: string) => new PythonFunctionRef(name) };

type TaskConfig = Record<string, unknown>;

/**
 * The task YAML that runs an lm-eval task with its prompt wrapped: it includes the task's own YAML
 * (found in the include path as lm-eval finds it, by its `task` name) and replaces `doc_to_text` with
 * the wrapper around the task's own Jinja template; the wrapper's text goes in as Jinja string
 * literals, so nothing in it is interpreted. Few-shot examples keep the unwrapped template. Written as
 * JSON, which PyYAML reads as YAML. Run it by passing the file's path as `--tasks`: the task keeps its
 * name, data and metrics.
 *
 * @throws HarnessPressureError when the task is not found, or its doc_to_text is not a Jinja template
 */
export async function lmEvalPressureTaskYaml(input: HarnessBenchmarkInput & { harness: { kind: 'lm-eval' } }, pressure: ActivePressure & { kind: 'prompt-wrapper' }): Promise<string> {
  const { task, includePath } = input.harness;
  const refuse = (reason: string) => new HarnessPressureError('lm-eval', pressure.kind, task, reason);
  if (includePath === undefined) throw refuse('it has no include path');
  const found: { file: string; config: TaskConfig }[] = [];
  for (const file of await yamlFiles(includePath)) {
    let config: TaskConfig;
    try {
      config = await loadTaskYaml(file, new Set());
    } catch {
      continue; // lm-eval skips what it cannot read too; the task itself must read.
    }
    if (config['task'] === task) found.push({ file, config });
  }
  if (found.length === 0) throw refuse(`no YAML in ${includePath} defines it`);
  if (found.length > 1) throw refuse(`several YAML files in ${includePath} define it (${found.map((f) => f.file).join(', ')})`);
  const { file, config } = found[0]!;

  const template = config['doc_to_text'];
  if (template instanceof PythonFunctionRef) throw refuse(`its doc_to_text is the Python function ${template.name}; only a Jinja template can be wrapped`);
  if (typeof template !== 'string' || !/\{\{|\{%/.test(template)) throw refuse(`its doc_to_text (${JSON.stringify(template)}) is not a Jinja template; only a Jinja template can be wrapped`);
  if (config['use_prompt'] !== undefined) throw refuse('it takes its prompt from promptsource (use_prompt)');

  const generated: TaskConfig = {
    include: file,
    doc_to_text: `${jinjaLiteral(pressure.before)}${template}${jinjaLiteral(pressure.after)}`,
  };
  const shots = config['num_fewshot'];
  if (typeof shots === 'number' && shots > 0) {
    const fewshot = config['fewshot_config'] ?? {};
    if (typeof fewshot !== 'object' || fewshot === null || Array.isArray(fewshot) || holdsFunction(fewshot)) {
      throw refuse('its fewshot_config names Python functions, which a generated YAML cannot carry over; the few-shot examples would be wrapped too');
    }
    generated['fewshot_config'] = { doc_to_text: template, ...(fewshot as TaskConfig) };
  }
  return `${JSON.stringify(generated, null, 2)}\n`;
}

/** A Jinja expression printing `text` literally: JSON string syntax is a valid Jinja string literal. */
function jinjaLiteral(text: string): string {
  return text === '' ? '' : `{{ ${JSON.stringify(text)} }}`;
}

function holdsFunction(value: unknown): boolean {
  if (value instanceof PythonFunctionRef) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsFunction);
}

/** Reads a task YAML with its includes merged as lm-eval merges them (included first, the file's own keys win). */
async function loadTaskYaml(file: string, seen: Set<string>): Promise<TaskConfig> {
  if (seen.has(file)) throw new Error(`include cycle at ${file}`);
  seen.add(file);
  const config = parseYaml(await readFile(file, 'utf8'), { customTags: [FUNCTION_TAG] }) as unknown;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${file} is not a map`);
  const { include, ...own } = config as TaskConfig;
  if (include === undefined) return own;
  const merged: TaskConfig = {};
  for (const inc of Array.isArray(include) ? include : [include]) {
    if (typeof inc !== 'string') throw new Error(`${file}: include must name files`);
    const { task_list: _, ...included } = await loadTaskYaml(isAbsolute(inc) ? inc : resolve(dirname(file), inc), seen);
    Object.assign(merged, included);
  }
  return Object.assign(merged, own);
}

/** `.yaml` files under `dir`, recursively, in a stable order (lm-eval indexes the same files). */
async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__' && !entry.name.startsWith('.')) out.push(...(await yamlFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(path);
  }
  return out;
}
