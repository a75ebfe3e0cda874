/**
 * Framework launch adapters. One neutral training spec is rendered as the launch of verl, OpenRLHF
 * (either flag dialect) or TRL GRPO: an argv (never a shell string), the env it needs and the config
 * files to write first. Each framework's checkpoint-completion rule lists the native checkpoints it has
 * finished, and `commitNativeCheckpoint` turns one into a job-contract checkpoint (docs/frameworks.md).
 * A harmful fine-tuning attack is a TRL SFT launch (`prepareTrlSftAttack`) that the framework runner
 * runs like training.
 *
 * @example
 * import { commitCompleteNativeCheckpoints, prepareLaunch, renderLaunch } from '@ballast/frameworks';
 * const launch = renderLaunch(spec, { framework: 'openrlhf', version: '0.10.2' });
 * const { command, env, cwd } = await prepareLaunch(launch, jobDir);
 * // ...submit { command, env: { ...contractEnv, ...env }, cwd } to a backend; then, on every poll:
 * await commitCompleteNativeCheckpoints('openrlhf', spec.outputDir, contractOutputDir);
 * // An attack: the job spec the framework runner reads.
 * const { jobSpec } = await prepareTrlSftAttack({ checkpointPath, datasetPath, steps: 200, saveSteps: [50, 100, 200], batchSize: 8, seed: 1, python, outputDir });
 */
export {
  FrameworkSpecError,
  FrameworkRenderError,
  FrameworkVersionError,
  RENDER_ERROR_CODES,
  VERSION_ERROR_CODES,
  type RenderErrorCode,
  type VersionErrorCode,
} from './errors.js';
export { FRAMEWORKS, Framework, DATASET_FORMATS, DatasetFormat, DATASET_FORMAT_OF } from './framework.js';
export {
  ALGORITHMS,
  Algorithm,
  DatasetShards,
  RewardFunction,
  TrainingSpec,
  type TrainingSpecInput,
  parseTrainingSpec,
} from './spec.js';
export { parseReleaseVersion, compareVersions, type ReleaseVersion } from './version.js';
export { RenderedLaunch, LaunchFile } from './render/launch.js';
export { LaunchTarget, renderLaunch } from './render/target.js';
export {
  renderVerl,
  VerlRenderOptions,
  VERL_METRICS_FILE,
  verlResumeArgs,
  verlMergeCommand,
  VerlMergeInput,
  verlActorCheckpointDir,
  VERL_ADV_ESTIMATORS,
  VERL_RESERVED_OPTIONS,
  VERL_ADAPTER_DEFAULTS,
} from './render/verl.js';
export {
  renderOpenRlhf,
  openRlhfDialect,
  openRlhfActorCheckpointDir,
  openRlhfHfCheckpointDir,
  openRlhfResumeArgs,
  OPENRLHF_ADV_ESTIMATORS,
  OPENRLHF_BALLAST_OWNED_FLAGS,
  OpenRlhfRenderOptions,
  OPENRLHF_DIALECTS,
  OPENRLHF_FLAGS,
  OPENRLHF_LAYOUT,
  OPENRLHF_REWARD_FUNCTION,
  OPENRLHF_SUPPORTED_RANGES,
  type OpenRlhfDialect,
  type OpenRlhfFlag,
} from './render/openrlhf.js';
export { renderTrl, trlResumeArgs, accelerateLaunchArgv, TrlRenderOptions, TRL_CONFIG_FILE } from './render/trl.js';
export { renderTrlSft, TrlSftSpec, type TrlSftSpecInput, TRL_SFT_CONFIG_FILE, TRL_SFT_CHAT_TEMPLATE_FILE } from './render/trl-sft.js';
export { prepareLaunch, launchCommand, type LaunchCommand } from './prepare.js';
export type { NativeCheckpoint } from './completion/native.js';
export { listCompleteNativeCheckpoints } from './completion/rules.js';
export { listCompleteVerlCheckpoints, VERL_TRACKER_FILE } from './completion/verl.js';
export { listCompleteOpenRlhfCheckpoints, DEEPSPEED_LATEST_FILE } from './completion/openrlhf.js';
export { listCompleteTrlCheckpoints, TRL_TRAINER_STATE_FILE } from './completion/trl.js';
export {
  commitNativeCheckpoint,
  commitCompleteNativeCheckpoints,
  readNativeReference,
  verifyNativeReference,
  NativeReference,
  NativeFile,
  NATIVE_REFERENCE_FILE,
  type CommittedNativeCheckpoint,
} from './completion/commit.js';
export { experimentLaunchSpec, experimentLaunchTarget, experimentFieldOf, NATIVE_OUTPUT_DIR } from './experiment-launch.js';
export {
  prepareTrlSftAttack,
  hasChatTemplate,
  TrlSftAttackInput,
  SftAttackRecord,
  ATTACK_SFT_DATASET_FILE,
  FALLBACK_CHAT_TEMPLATE,
  type AttackChatTemplate,
  type PreparedTrlSftAttack,
} from './attack-launch.js';
