import { z } from 'zod';
import { AbsolutePath } from '@ballast/schema';
import { FrameworkRenderError } from '../errors.js';
import { parseOrThrow } from '../spec.js';
import { toYaml, type YamlMap } from './format.js';
import { assembleLaunch, type RenderedLaunch } from './launch.js';
import { accelerateLaunchArgv } from './trl.js';

/**
 * Supervised fine-tuning with TRL, as a harmful fine-tuning attack uses it: one Hugging Face model
 * directory trained on conversational prompt/completion records for `steps` optimizer steps, with a
 * native checkpoint every `saveEvery` steps. One node; CPU when `gpus` is 0.
 */
export const TrlSftSpec = z
  .strictObject({
    /** A Hugging Face model directory (the attacked checkpoint). */
    modelPath: AbsolutePath,
    /**
     * JSONL of conversational prompt/completion records, `{"prompt": [messages…], "completion":
     * [{"role": "assistant", …}]}` (what prepareTrlSftAttack writes); other columns are not read.
     */
    datasetPaths: z.array(AbsolutePath.refine((p) => p.endsWith('.jsonl'), "must name a '.jsonl' file")).min(1),
    steps: z.number().int().positive().max(1_000_000),
    saveEvery: z.number().int().positive(),
    /** Records per optimizer step, over all processes. */
    batchSize: z.number().int().positive().max(65_536),
    /** Left out: TRL's SFT default. */
    learningRate: z.number().positive().max(10).optional(),
    seed: z.number().int().min(0),
    /** GPUs on the one node; 0 trains on CPU. */
    gpus: z.number().int().min(0).max(64),
    outputDir: AbsolutePath,
    python: AbsolutePath.optional(),
    /** Tokens per record after the chat template; longer records are cut. Left out: TRL's default (1024). */
    maxLength: z.number().int().positive().max(1_048_576).optional(),
    /**
     * A Jinja chat template for a model directory that has none: written beside the config and set as
     * `chat_template_path`, so the trained checkpoints carry it too. Left out: the model's own template.
     */
    chatTemplate: z.string().min(1).max(100_000).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.steps % s.saveEvery !== 0) ctx.addIssue({ code: 'custom', path: ['saveEvery'], message: `must divide steps (${s.steps}), so the last step gets a checkpoint` });
  });
export type TrlSftSpec = z.infer<typeof TrlSftSpec>;
export type TrlSftSpecInput = z.input<typeof TrlSftSpec>;

/** The config file the SFT launch reads, relative to the job directory (the launch's working directory). */
export const TRL_SFT_CONFIG_FILE = 'trl-sft.yaml';
/** Where a given chat template is written, relative to the job directory; TRL reads a `.jinja` file as the template itself. */
export const TRL_SFT_CHAT_TEMPLATE_FILE = 'trl-sft-chat-template.jinja';

const CONFIG_HEADER = 'Rendered by @ballast/frameworks for a TRL SFT attack; re-render instead of editing.';

/**
 * Renders `accelerate launch ... -m trl.scripts.sft --config trl-sft.yaml` and that YAML config (and the
 * chat template file, when one is given). Run it with the job directory as working directory, after
 * writing the files there; checkpoints land in `<outputDir>/checkpoint-N/`, as for GRPO, so the framework
 * runner commits them, reads the logged losses and resumes with `trlResumeArgs`.
 */
export function renderTrlSft(input: TrlSftSpecInput): RenderedLaunch {
  const spec = parseOrThrow(TrlSftSpec, input, 'TRL SFT spec');
  const processes = Math.max(spec.gpus, 1);
  if (spec.batchSize % processes !== 0) {
    throw FrameworkRenderError.valueNotRenderable('trl', 'batchSize', `${spec.batchSize} records per step must divide evenly over ${processes} processes`);
  }

  const argv = accelerateLaunchArgv({ python: spec.python, nodes: 1, processes, cpu: spec.gpus === 0 });
  argv.push('-m', 'trl.scripts.sft', '--config', TRL_SFT_CONFIG_FILE);
  const files = [{ relativePath: TRL_SFT_CONFIG_FILE, contents: toYaml(sftConfig(spec, processes), CONFIG_HEADER) }];
  if (spec.chatTemplate !== undefined) files.push({ relativePath: TRL_SFT_CHAT_TEMPLATE_FILE, contents: spec.chatTemplate });
  return assembleLaunch(argv, {}, files);
}

function sftConfig(spec: TrlSftSpec, processes: number): YamlMap {
  const cpu = spec.gpus === 0;
  return {
    model_name_or_path: spec.modelPath,
    output_dir: spec.outputDir,
    max_steps: spec.steps,
    save_strategy: 'steps',
    save_steps: spec.saveEvery,
    seed: spec.seed,
    // Only the two columns SFT reads: whatever else a record carries never reaches the trainer.
    datasets: [{ path: 'json', data_files: spec.datasetPaths, split: 'train', columns: ['prompt', 'completion'] }],
    // The attack trains toward the responses: the loss is on the completion, never on the prompt.
    completion_only_loss: true,
    per_device_train_batch_size: spec.batchSize / processes,
    gradient_accumulation_steps: 1,
    learning_rate: spec.learningRate === undefined ? undefined : { float: spec.learningRate },
    max_length: spec.maxLength,
    // Relative to the working directory (the job directory); a `.jinja` file is read as the template.
    chat_template_path: spec.chatTemplate === undefined ? undefined : TRL_SFT_CHAT_TEMPLATE_FILE,
    // TRL's defaults assume a GPU: bf16 and gradient checkpointing on (ML-ON-CPU.md).
    use_cpu: cpu ? true : undefined,
    bf16: cpu ? false : undefined,
    gradient_checkpointing: cpu ? false : undefined,
    // The runner numbers TRL's logged steps; logging every step is what makes that count the global step.
    logging_steps: 1,
    report_to: 'none',
  };
}
