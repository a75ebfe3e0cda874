// The one place the benchmark touches the Ballast engine: register the sources (cached in storeDir,
// so an empty storeDir is a cold run and a filled one a warm run), then build the mix with the engine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMix, registerSource } from '@ballast/mixing';

/**
 * @param {{ sources: Record<string, string>, storeDir: string, outDir: string, totalRecords: number,
 *   components: { name: string, dataset: string, fraction: number, filter: object }[], seed: number }} options
 * @returns {Promise<{ records: number, files: string[], registered: string[], mixId: string }>}
 */
export async function runBallast({ sources, storeDir, outDir, totalRecords, components, seed }) {
  mkdirSync(storeDir, { recursive: true });
  const registered = [];
  const inputs = [];
  for (const [dataset, path] of Object.entries(sources)) {
    const started = Date.now();
    const registration = await registerSource({ path, storeDir });
    if (Date.now() - started > 50) registered.push(dataset);
    inputs.push({ dataset, uri: pathToFileURL(path).href, registration });
  }
  const mix = {
    totalRecords,
    seed,
    dedup: true,
    decontaminate: null,
    output: { formats: ['jsonl'], shardBytes: 1024 ** 4 },
    components: components.map((c) => ({ name: c.name, dataset: c.dataset, fraction: c.fraction, count: null, filter: c.filter, upsample: null })),
  };
  const { manifest, dir } = await buildMix({ mix, sources: inputs, mixesDir: outDir });
  const jsonl = manifest.outputs.find((o) => o.format === 'jsonl');
  return { records: manifest.records, files: jsonl.shards.map((s) => join(dir, jsonl.dir, s.file)), registered, mixId: manifest.mixId };
}
