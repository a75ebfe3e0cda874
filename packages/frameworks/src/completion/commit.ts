import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { checkpointsDir, commitCheckpoint, listFilesUnder, readMarker } from '@ballast/job-contract';
import { checkpointDirName, type CheckpointMarker } from '@ballast/schema';
import { Framework } from '../framework.js';
import { parseOrThrow } from '../spec.js';
import type { NativeCheckpoint } from './native.js';
import { listCompleteNativeCheckpoints } from './rules.js';

/** The one file in a contract checkpoint made from a native one. */
export const NATIVE_REFERENCE_FILE = 'native.json';

export const NativeFile = z.strictObject({
  /** Relative to `nativePath`, POSIX separators. */
  path: z.string().min(1),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type NativeFile = z.infer<typeof NativeFile>;

/**
 * `native.json`: points at a native checkpoint instead of copying it, and lists every file in it with
 * its size and sha256, so the contract checkpoint's content hash covers the native bytes as well.
 */
export const NativeReference = z.strictObject({
  referenceVersion: z.literal(1),
  framework: Framework,
  step: z.number().int().min(0),
  nativePath: z.string().min(1),
  files: z.array(NativeFile),
});
export type NativeReference = z.infer<typeof NativeReference>;

export interface CommittedNativeCheckpoint {
  readonly step: number;
  readonly nativePath: string;
  readonly marker: CheckpointMarker;
  /** False when the contract checkpoint already existed: nothing was written. */
  readonly created: boolean;
}

/**
 * Turns a complete native checkpoint into the contract checkpoint `OUTPUT/checkpoints/step-<N>/`:
 * `native.json` first, then the COMPLETE marker over it (via the job contract's commitCheckpoint).
 * Idempotent: a step already committed is returned as it is, without reading the native files again.
 */
export async function commitNativeCheckpoint(
  framework: Framework,
  checkpoint: NativeCheckpoint,
  contractOutputDir: string,
): Promise<CommittedNativeCheckpoint> {
  parseOrThrow(Framework, framework, 'framework');
  const existing = await readMarker(join(checkpointsDir(contractOutputDir), checkpointDirName(checkpoint.step)));
  if (existing !== null && existing.step === checkpoint.step) {
    return { step: checkpoint.step, nativePath: checkpoint.nativePath, marker: existing, created: false };
  }
  const marker = await commitCheckpoint(contractOutputDir, checkpoint.step, async (dir) => {
    const reference: NativeReference = {
      referenceVersion: 1,
      framework,
      step: checkpoint.step,
      nativePath: checkpoint.nativePath,
      files: await describeFiles(checkpoint.nativePath),
    };
    await writeFile(join(dir, NATIVE_REFERENCE_FILE), `${JSON.stringify(reference, null, 2)}\n`);
  });
  return { step: checkpoint.step, nativePath: checkpoint.nativePath, marker, created: true };
}

/**
 * Commits every complete native checkpoint under `nativeOutputDir` that has no contract checkpoint yet,
 * oldest first. Safe to call on every poll: already committed steps cost one marker read each.
 */
export async function commitCompleteNativeCheckpoints(
  framework: Framework,
  nativeOutputDir: string,
  contractOutputDir: string,
  /** `runEnded`: the framework has exited; see listCompleteNativeCheckpoints. */
  options: { runEnded?: boolean } = {},
): Promise<CommittedNativeCheckpoint[]> {
  const out: CommittedNativeCheckpoint[] = [];
  for (const checkpoint of await listCompleteNativeCheckpoints(framework, nativeOutputDir, options)) {
    out.push(await commitNativeCheckpoint(framework, checkpoint, contractOutputDir));
  }
  return out;
}

/** A contract checkpoint's `native.json`; null if it has none or it is not a valid reference. */
export async function readNativeReference(contractCheckpointDir: string): Promise<NativeReference | null> {
  let text: string;
  try {
    text = await readFile(join(contractCheckpointDir, NATIVE_REFERENCE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = NativeReference.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Re-reads the native checkpoint and compares it with its reference: problems name each missing,
 * changed or unexpected file. Native checkpoints live outside Ballast's control (a framework's rotation
 * or a person may delete them), so a consumer checks before it loads weights.
 */
export async function verifyNativeReference(reference: NativeReference): Promise<{ ok: boolean; problems: string[] }> {
  let current: NativeFile[];
  try {
    current = await describeFiles(reference.nativePath);
  } catch (err) {
    return { ok: false, problems: [`${reference.nativePath}: cannot be read (${(err as Error).message})`] };
  }
  const now = new Map(current.map((f) => [f.path, f]));
  const problems: string[] = [];
  for (const f of reference.files) {
    const c = now.get(f.path);
    if (c === undefined) problems.push(`${f.path}: missing`);
    else if (c.bytes !== f.bytes || c.sha256 !== f.sha256) problems.push(`${f.path}: changed`);
    now.delete(f.path);
  }
  for (const path of now.keys()) problems.push(`${path}: not in the reference`);
  return { ok: problems.length === 0, problems };
}

/**
 * Every regular file under `root`, sorted by relative path, each hashed as a stream: native weight and
 * optimizer shards are often larger than one read can hold.
 */
async function describeFiles(root: string): Promise<NativeFile[]> {
  const out: NativeFile[] = [];
  for (const path of await listFilesUnder(root)) {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(join(root, path)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    out.push({ path, bytes, sha256: hash.digest('hex') });
  }
  return out;
}
