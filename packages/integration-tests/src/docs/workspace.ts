import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One workspace package as its package.json declares it. */
export interface WorkspacePackage {
  readonly name: string;
  /** Folder relative to the repository root, e.g. `packages/api`. */
  readonly dir: string;
  /** Workspace packages it needs at run time (`dependencies`, not `devDependencies`). */
  readonly deps: readonly string[];
}

/** Every package of the npm workspaces (`packages/*`, `infra/*`, `apps/*`). */
export function readWorkspace(root: string): WorkspacePackage[] {
  const globs = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const dirs = globs.flatMap((glob) => {
    const parent = glob.replace(/\/\*$/, '');
    return readdirSync(join(root, parent)).map((d) => `${parent}/${d}`);
  });
  const manifests = dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> } }));
  const names = new Set(manifests.map((m) => m.json.name));
  return manifests.map(({ dir, json }) => ({ name: json.name, dir, deps: Object.keys(json.dependencies ?? {}).filter((d) => names.has(d)) }));
}

function jsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js') && !e.name.endsWith('.test.js'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The compiled files of `from` (its dist/, tests excluded) that load `target` at run time. Type-only
 * imports vanish when TypeScript compiles, so whatever is left here crosses the boundary as a value.
 */
export function runtimeImporters(root: string, from: WorkspacePackage, target: string): string[] {
  const escaped = target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const load = new RegExp(`(?:from\\s*|import\\s*\\(?\\s*)['"]${escaped}(?:/[^'"]*)?['"]`);
  return jsFiles(join(root, from.dir, 'dist')).filter((file) => load.test(readFileSync(file, 'utf8')));
}
