// The one place the benchmark touches the Ballast engine. Swap the body when the engine's API
// changes; the bench only relies on the signature and on `files` listing the JSONL output.
//
// Registration lives in `storeDir/sources.json` (path, size, mtime -> sha256): an empty storeDir
// makes a cold run that registers every source first; a filled one makes a warm run.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMix, describeSource, MIX_FILE } from '@ballast/mixing';

/**
 * @param {{ sources: Record<string, string>, storeDir: string, outDir: string, totalRecords: number,
 *   components: { name: string, dataset: string, fraction: number, filter: object }[], seed: number }} options
 * @returns {Promise<{ records: number, files: string[], registered: string[], mixId: string }>}
 */
export async function runBallast({ sources, storeDir, outDir, totalRecords, components, seed }) {
  mkdirSync(storeDir, { recursive: true });
  const registryPath = join(storeDir, 'sources.json');
  let registry = {};
  try {
    registry = JSON.parse(readFileSync(registryPath, 'utf8'));
  } catch {
    // No registry yet: this is a cold run.
  }
  const registered = [];
  const mixSources = {};
  for (const [dataset, path] of Object.entries(sources)) {
    const { size, mtimeMs } = statSync(path);
    let entry = registry[path];
    if (entry?.size !== size || entry?.mtimeMs !== mtimeMs) {
      const described = await describeSource(path);
      entry = { size, mtimeMs, sha256: described.sha256, records: described.records };
      registry[path] = entry;
      registered.push(dataset);
    }
    mixSources[dataset] = { path, uri: pathToFileURL(path).href, sha256: entry.sha256 };
  }
  if (registered.length > 0) writeFileSync(registryPath, JSON.stringify(registry));
  const manifest = await buildMix({ mix: { totalRecords, seed, components }, sources: mixSources, outDir });
  const file = typeof manifest.output?.file === 'string' ? manifest.output.file : MIX_FILE;
  return { records: manifest.records, files: [join(outDir, file)], registered, mixId: manifest.mixId };
}
