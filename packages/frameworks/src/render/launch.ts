import { z } from 'zod';

/** A config file the launcher writes into the job directory before it runs `argv`. */
export const LaunchFile = z.strictObject({
  /** Relative to the job directory; never absolute, never `..`. */
  relativePath: z.string().min(1),
  contents: z.string(),
});
export type LaunchFile = z.infer<typeof LaunchFile>;

/**
 * What a renderer produces: an argv (never a shell string, so no value is ever interpreted by a
 * shell), the environment variables the framework needs on top of the job's own, and config files.
 * Deterministic: the same spec and options give byte-identical output.
 */
export const RenderedLaunch = z.strictObject({
  argv: z.array(z.string()).min(1),
  env: z.record(z.string(), z.string()),
  files: z.array(LaunchFile),
});
export type RenderedLaunch = z.infer<typeof RenderedLaunch>;

/** Assembles a launch with env keys and files in sorted order, so output never depends on insertion order. */
export function assembleLaunch(argv: readonly string[], env: Record<string, string>, files: readonly LaunchFile[] = []): RenderedLaunch {
  const sortedEnv: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) sortedEnv[key] = env[key]!;
  const sortedFiles = [...files].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  return { argv: [...argv], env: sortedEnv, files: sortedFiles };
}
