import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '@ballast/job-contract';
import { ChatMessage, Domain, Trait, benchmarkRef } from '@ballast/schema';
import { BENCHMARK_DESIGNS, type BenchmarkDesign } from './benchmarks.js';
import { writeJsonlAtomic } from './jsonl-writer.js';
import { Rng } from './rng.js';
import { BENCHMARK_TEMPLATES } from './text/benchmark-templates.js';
import { buildConversation, drawMessageCount, MESSAGE_COUNT_WEIGHTS } from './text/conversation.js';
import { EVALUATOR_VERSION } from './versions.js';

/** One line of a SIMULATED benchmark items file. */
export const BenchmarkItem = z.strictObject({
  id: z.string().min(1),
  benchmark: z.string(),
  /** Items drawn from one conversation share it; the evaluator reports it as the item's cluster. */
  conversationId: z.string(),
  template: z.string(),
  features: z.strictObject({
    kind: z.enum(['regular', 'trait']),
    trait: Trait.nullable(),
    domain: Domain,
    pressure: z.number().min(0).max(1),
  }),
  messages: z.array(ChatMessage).min(2).max(8),
  simulated: z.literal(true),
});
export type BenchmarkItem = z.infer<typeof BenchmarkItem>;

const MANIFEST = 'benchmarks.json';

/**
 * Items of one benchmark. They come in conversations of one to three items: later items are later
 * turns of the same conversation with more pressure, which is why items share a cluster.
 */
export function* benchmarkItems(design: BenchmarkDesign): Generator<BenchmarkItem> {
  const { info } = design;
  const ref = benchmarkRef(info);
  const rng = Rng.from('benchmark-items', EVALUATOR_VERSION, ref);
  const [lo, hi] = design.pressure;
  // Every reference twin has a fixed item count; only real harnesses learn theirs when they run.
  const itemCount = info.itemCount ?? 0;
  let made = 0;
  for (let c = 0; made < itemCount; c++) {
    const trait = info.traits.length === 0 ? null : (info.traits[c % info.traits.length] as Trait);
    const domain = info.domains[rng.int(info.domains.length)] as Domain;
    const turns = Math.min(1 + rng.int(3), itemCount - made);
    let pressure = lo + rng.float() * (hi - lo) * 0.6;
    const conversationId = `${info.id}/c${c}`;
    for (let t = 0; t < turns; t++, made++) {
      const convo = buildConversation(
        design.text?.set ?? BENCHMARK_TEMPLATES,
        design.text?.key ?? trait ?? 'regular',
        domain,
        drawMessageCount(trait === null ? MESSAGE_COUNT_WEIGHTS.regular : MESSAGE_COUNT_WEIGHTS.trait, rng),
        rng,
      );
      yield {
        id: `${info.id}/${made}`,
        benchmark: ref,
        conversationId,
        template: convo.template,
        features: { kind: trait === null ? 'regular' : 'trait', trait, domain, pressure: Math.round(pressure * 100) / 100 },
        messages: convo.messages,
        simulated: true,
      };
      pressure = Math.min(hi, pressure + rng.float() * (hi - lo) * 0.3);
    }
  }
}

/**
 * Writes every benchmark's held-out items to `<dir>/<ref>.items.jsonl`, then `benchmarks.json` as the
 * completion marker. Skips the work when that marker has this evaluator version and every file is there.
 */
export async function writeBenchmarkItems(dir: string): Promise<Map<string, string>> {
  const paths = new Map(BENCHMARK_DESIGNS.map((d) => [benchmarkRef(d.info), join(dir, `${benchmarkRef(d.info)}.items.jsonl`)]));
  if (await isCurrent(dir, paths)) return paths;
  await mkdir(dir, { recursive: true });
  for (const design of BENCHMARK_DESIGNS) {
    await writeJsonlAtomic(paths.get(benchmarkRef(design.info))!, benchmarkItems(design));
  }
  const manifest = { version: EVALUATOR_VERSION, refs: [...paths.keys()], simulated: true };
  await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return paths;
}

async function isCurrent(dir: string, paths: Map<string, string>): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { version?: string; refs?: string[] };
    if (manifest.version !== EVALUATOR_VERSION) return false;
    if (JSON.stringify(manifest.refs) !== JSON.stringify([...paths.keys()])) return false;
    await Promise.all([...paths.values()].map((p) => access(p)));
    return true;
  } catch {
    return false;
  }
}
