// The workspace packages (root package.json "workspaces", one level of `dir/*` globs) and their scripts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function workspaces(root) {
  const globs = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  return globs
    .flatMap((glob) => {
      const parent = join(root, glob.replace(/\/\*$/, ''));
      return existsSync(parent) ? readdirSync(parent).map((name) => join(parent, name)) : [];
    })
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, scripts: manifest.scripts ?? {} };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
