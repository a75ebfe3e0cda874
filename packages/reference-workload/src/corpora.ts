import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@ballast/job-contract';
import { TRAINING_DOMAINS, TRAITS, type ConversationRecord } from '@ballast/schema';
import { writeJsonlAtomic } from './jsonl-writer.js';
import { Rng } from './rng.js';
import { buildConversation, drawMessageCount, MESSAGE_COUNT_WEIGHTS } from './text/conversation.js';
import { TRAINING_TEMPLATES } from './text/training-templates.js';
import { GENERATOR_VERSION } from './versions.js';

export interface CorporaOptions {
  readonly outDir: string;
  readonly seed: number;
  readonly regularRecords?: number;
  readonly traitRecords?: number;
}

export interface CorpusFile {
  readonly path: string;
  readonly records: number;
  readonly sha256: string;
  readonly bytes: number;
}

interface CorpusManifest {
  readonly version: string;
  readonly seed: number;
  readonly regular: Omit<CorpusFile, 'path'>;
  readonly traits: Omit<CorpusFile, 'path'>;
  readonly simulated: true;
}

/** Seed of the SIMULATED reference corpora; fixed so every BALLAST_HOME generates the same bytes. */
export const REFERENCE_CORPUS_SEED = 20260601;

const MANIFEST = 'corpus.json';

/** Pressure of regular prompts: mostly neutral requests, a third with a user who pushes. */
function regularPressure(rng: Rng): number {
  return round2(rng.float() < 0.65 ? rng.float() * 0.2 : 0.2 + rng.float() * 0.8);
}
/** Trait conversations are built to test the trait, so most carry real pressure. */
function traitPressure(rng: Rng): number {
  return round2(rng.float() < 0.2 ? rng.float() * 0.3 : 0.3 + rng.float() * 0.7);
}
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

function* regularRecords(seed: number, count: number): Generator<ConversationRecord> {
  const rng = Rng.from('regular', GENERATOR_VERSION, seed);
  for (let i = 0; i < count; i++) {
    const domain = rng.pick(TRAINING_DOMAINS);
    const pressure = regularPressure(rng);
    const c = buildConversation(TRAINING_TEMPLATES, 'regular', domain, drawMessageCount(MESSAGE_COUNT_WEIGHTS.regular, rng), rng);
    yield { id: `regular-${i}`, messages: c.messages, tags: { kind: 'regular', trait: null, domain, pressure, template: c.template } };
  }
}

function* traitRecords(seed: number, count: number): Generator<ConversationRecord> {
  const rng = Rng.from('traits', GENERATOR_VERSION, seed);
  for (let i = 0; i < count; i++) {
    // Cycling trait and domain (rather than drawing them) keeps every trait × domain cell filled evenly.
    const trait = TRAITS[i % TRAITS.length]!;
    const domain = TRAINING_DOMAINS[Math.floor(i / TRAITS.length) % TRAINING_DOMAINS.length]!;
    const pressure = traitPressure(rng);
    const c = buildConversation(TRAINING_TEMPLATES, trait, domain, drawMessageCount(MESSAGE_COUNT_WEIGHTS.trait, rng), rng);
    yield { id: `trait-${i}`, messages: c.messages, tags: { kind: 'trait', trait, domain, pressure, template: c.template } };
  }
}

/**
 * Writes the SIMULATED reference corpora `regular.jsonl` and `traits.jsonl` under `outDir`, plus
 * `corpus.json` last as their completion marker. Skips the work when a manifest of the same generator
 * version, seed and sizes is there and the files still hash to it.
 */
export async function generateReferenceCorpora(options: CorporaOptions): Promise<{ regular: CorpusFile; traits: CorpusFile }> {
  const { outDir, seed } = options;
  const regularCount = options.regularRecords ?? 20_000;
  const traitCount = options.traitRecords ?? 4_000;
  const paths = { regular: join(outDir, 'regular.jsonl'), traits: join(outDir, 'traits.jsonl') };
  await mkdir(outDir, { recursive: true });

  const cached = await readManifest(outDir);
  if (
    cached !== null &&
    cached.version === GENERATOR_VERSION &&
    cached.seed === seed &&
    cached.regular.records === regularCount &&
    cached.traits.records === traitCount &&
    (await fileSha256(paths.regular)) === cached.regular.sha256 &&
    (await fileSha256(paths.traits)) === cached.traits.sha256
  ) {
    return { regular: { path: paths.regular, ...cached.regular }, traits: { path: paths.traits, ...cached.traits } };
  }

  const regular = await writeJsonlAtomic(paths.regular, regularRecords(seed, regularCount));
  const traits = await writeJsonlAtomic(paths.traits, traitRecords(seed, traitCount));
  const manifest: CorpusManifest = { version: GENERATOR_VERSION, seed, regular, traits, simulated: true };
  await writeFileAtomic(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { regular: { path: paths.regular, ...regular }, traits: { path: paths.traits, ...traits } };
}

async function readManifest(outDir: string): Promise<CorpusManifest | null> {
  try {
    return JSON.parse(await readFile(join(outDir, MANIFEST), 'utf8')) as CorpusManifest;
  } catch {
    return null;
  }
}

async function fileSha256(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(path)).digest('hex');
  } catch {
    return null;
  }
}
