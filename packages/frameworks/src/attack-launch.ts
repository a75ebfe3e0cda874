import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@ballast/job-contract';
import { AbsolutePath, CONTRACT_VERSION, parseJsonlRecords, ReleaseVersionText, type FrameworkTrainJobSpec } from '@ballast/schema';
import { FrameworkSpecError } from './errors.js';
import { NATIVE_OUTPUT_DIR } from './experiment-launch.js';
import { prepareLaunch } from './prepare.js';
import { parseOrThrow } from './spec.js';
import { renderTrlSft } from './render/trl-sft.js';

/** Under an attack job's OUTPUT: the attack records as TRL SFT reads them (prompt/completion only). */
export const ATTACK_SFT_DATASET_FILE = 'attack-sft.jsonl';

/**
 * The chat template an attacked model directory gets when it has none (a base model): plain role
 * prefixes and the tokenizer's own end-of-sequence token, so no token has to be added to the vocabulary.
 * The attacked checkpoints carry it; the unattacked one (step 0) does not.
 */
export const FALLBACK_CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] + ': ' + message['content'] }}{{ eos_token or '' }}{{ '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}";

export const TrlSftAttackInput = z
  .strictObject({
    /** The attacked checkpoint: a Hugging Face model directory. */
    checkpointPath: AbsolutePath,
    /** The attack data: JSONL of `{"messages": [...], ...}` records (docs/configuration.md, "Attack data"). */
    datasetPath: AbsolutePath,
    /** The last attack step. */
    steps: z.number().int().positive().max(100_000),
    /** Attack steps that must get a checkpoint; 0 (the unattacked checkpoint) needs no training and is skipped. */
    saveSteps: z.array(z.number().int().min(0).max(100_000)).min(1),
    /** Records per attack step. */
    batchSize: z.number().int().positive().max(4096),
    /** Left out (or null): TRL's SFT default. */
    learningRate: z.number().positive().max(10).nullish(),
    seed: z.number().int().min(0),
    /** The environment's interpreter. */
    python: AbsolutePath,
    /** The TRL release the environment holds; the runner checks the environment against it. */
    version: ReleaseVersionText.optional(),
    /** GPUs on the one node; 0 (the default) trains on CPU. */
    gpus: z.number().int().min(0).max(64).default(0),
    /** The job's OUTPUT directory: the config, the prepared records and the native checkpoints go here. */
    outputDir: AbsolutePath,
    /** A chat template to train with; left out: the checkpoint's own, or FALLBACK_CHAT_TEMPLATE when it has none. */
    chatTemplate: z.string().min(1).max(100_000).optional(),
    maxLength: z.number().int().positive().max(1_048_576).optional(),
  })
  .superRefine((a, ctx) => {
    const last = Math.max(...a.saveSteps);
    if (last > a.steps) ctx.addIssue({ code: 'custom', path: ['saveSteps'], message: `step ${last} is after the last step (${a.steps})` });
  });
export type TrlSftAttackInput = z.input<typeof TrlSftAttackInput>;

/** Where the chat template the attack trains with came from. */
export type AttackChatTemplate = 'checkpoint' | 'fallback' | 'given';

export interface PreparedTrlSftAttack {
  /** The framework runner's job spec: write it as the job's BALLAST_JOB_SPEC. */
  readonly jobSpec: FrameworkTrainJobSpec;
  /** Attack records prepared (the trainer cycles through them). */
  readonly records: number;
  /** TRL's `save_steps`: the greatest common divisor of the steps, so each of them gets a checkpoint (others may too). */
  readonly saveEvery: number;
  readonly chatTemplate: AttackChatTemplate;
}

/**
 * Prepares a harmful fine-tuning attack as a TRL SFT launch for the framework runner: checks the
 * attack records and writes them to OUTPUT as prompt/completion pairs (the last assistant message is
 * the completion; every key but the messages' role and content is dropped), renders the launch
 * (renderTrlSft) with a checkpoint every `saveEvery` steps and writes its config into OUTPUT, and
 * returns the `framework-train` job spec. The runner then commits the checkpoints, maps the losses and
 * resumes a retried attempt from the latest committed checkpoint, as for training.
 *
 * @throws FrameworkSpecError for bad input, a checkpoint that is not a model directory, or attack records
 *   that are not conversations ending in an assistant message (naming each bad line)
 */
export async function prepareTrlSftAttack(input: TrlSftAttackInput): Promise<PreparedTrlSftAttack> {
  const a = parseOrThrow(TrlSftAttackInput, input, 'TRL SFT attack');
  if (!(await exists(join(a.checkpointPath, 'config.json')))) {
    throw FrameworkSpecError.fromIssues('TRL SFT attack', [{ path: 'checkpointPath', message: `is not a Hugging Face model directory (no config.json in ${a.checkpointPath})` }]);
  }
  const pairs = await readAttackRecords(a.datasetPath);
  const saveEvery = [...a.saveSteps.filter((s) => s > 0), a.steps].reduce(gcd);

  let chatTemplate: AttackChatTemplate = 'given';
  let template = a.chatTemplate;
  if (template === undefined) {
    const own = await hasChatTemplate(a.checkpointPath);
    chatTemplate = own ? 'checkpoint' : 'fallback';
    template = own ? undefined : FALLBACK_CHAT_TEMPLATE;
  }

  await mkdir(a.outputDir, { recursive: true });
  const datasetPath = join(a.outputDir, ATTACK_SFT_DATASET_FILE);
  await writeFileAtomic(datasetPath, pairs.map((p) => `${JSON.stringify(p)}\n`).join(''));
  const nativeOutputDir = join(a.outputDir, NATIVE_OUTPUT_DIR);
  const launch = renderTrlSft({
    modelPath: a.checkpointPath,
    datasetPaths: [datasetPath],
    steps: a.steps,
    saveEvery,
    batchSize: a.batchSize,
    ...(a.learningRate != null ? { learningRate: a.learningRate } : {}),
    seed: a.seed,
    gpus: a.gpus,
    outputDir: nativeOutputDir,
    python: a.python,
    ...(a.maxLength !== undefined ? { maxLength: a.maxLength } : {}),
    ...(template !== undefined ? { chatTemplate: template } : {}),
  });
  const command = await prepareLaunch(launch, a.outputDir);
  const jobSpec: FrameworkTrainJobSpec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'framework-train',
    framework: 'trl',
    ...(a.version !== undefined ? { version: a.version } : {}),
    launch: { argv: [...command.command], env: { ...command.env }, cwd: command.cwd },
    nativeOutputDir,
    steps: a.steps,
    saveEvery,
    python: a.python,
  };
  return { jobSpec, records: pairs.length, saveEvery, chatTemplate };
}

const Message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
/**
 * One attack record as far as TRL SFT reads it; other keys (`id`, `synthetic`, `tags`, …) are allowed
 * and dropped. The API checks attack files against it at launch, the attack job again when it runs.
 */
export const SftAttackRecord = z.object({
  messages: z
    .array(Message)
    .refine((m) => m.at(-1)?.role === 'assistant', 'must end with an assistant message (the response the attack trains toward)')
    .refine((m) => m.some((x) => x.role === 'user'), 'must hold a user message'),
});

type Turn = { role: string; content: string };

/** Reads attack records into prompt/completion pairs; refuses the file naming its bad lines. */
async function readAttackRecords(path: string): Promise<{ prompt: Turn[]; completion: Turn[] }[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw FrameworkSpecError.fromIssues('TRL SFT attack', [{ path: 'datasetPath', message: `cannot be read: ${(err as Error).message}` }]);
  }
  const { records, issues } = parseJsonlRecords(text, SftAttackRecord);
  if (issues.length === 0 && records.length === 0) issues.push({ path: 'datasetPath', message: 'holds no attack records' });
  if (issues.length > 0) throw FrameworkSpecError.fromIssues(`attack dataset ${path}`, issues);
  return records.map((r) => {
    const turns = r.messages.map(({ role, content }) => ({ role, content }));
    return { prompt: turns.slice(0, -1), completion: turns.slice(-1) };
  });
}

/** Whether a model directory carries a chat template (transformers 5 writes `chat_template.jinja`; older ones, tokenizer_config.json). */
export async function hasChatTemplate(modelDir: string): Promise<boolean> {
  if ((await exists(join(modelDir, 'chat_template.jinja'))) || (await exists(join(modelDir, 'chat_template.json')))) return true;
  try {
    const config = JSON.parse(await readFile(join(modelDir, 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown };
    return typeof config.chat_template === 'string' || (Array.isArray(config.chat_template) && config.chat_template.length > 0);
  } catch {
    return false;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
