import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { anchorOf, codeLines, parseMarkdown } from './markdown.js';
import { parseFlowchart } from './mermaid.js';
import { pathExists, repoPathsIn, treePaths } from './repo-paths.js';
import { runtimeImporters } from './workspace.js';

describe('the docs checks read what they should', { timeout: 10_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'ballast-docs-checks-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'packages', 'api', 'dist', 'router'), { recursive: true });
  writeFileSync(join(root, 'packages', 'api', 'dist', 'router', 'a.js'), "import { x } from '@ballast/workflows';\n");
  writeFileSync(join(root, 'packages', 'api', 'dist', 'b.js'), 'export {};\n');

  it('finds repository paths, placeholders and globs, and not paths under BALLAST_HOME', () => {
    assert.deepEqual(repoPathsIn('see `packages/api/dist/<name>.js`, packages/x<br/>and $BALLAST_HOME/docs/y or infra/temporal.'), ['packages/api/dist/<name>.js', 'packages/x', 'infra/temporal']);
    assert.equal(pathExists(root, 'packages/api/dist/<name>.js'), true);
    assert.equal(pathExists(root, 'packages/*/dist/router/a.js'), true);
    assert.equal(pathExists(root, 'packages/api/dist/c.js'), false);
  });

  it("reads the README's tree with its nesting", () => {
    assert.deepEqual(treePaths('apps/\n  cli/   the CLI\ninfra/\n  slurm/, ray/    clusters\n.ci/run   CI'), ['apps', 'apps/cli', 'infra', 'infra/slurm', 'infra/ray', '.ci/run']);
  });

  it('parses nodes and every edge form of a flowchart', () => {
    const chart = parseFlowchart('flowchart BT\n  a["@ballast/a"]\n  b["@ballast/b<br/>x"]\n  a --> b\n  a -. "types only" .-> b\n  b -- "signal" --> a\n  a -->|x| b');
    assert.deepEqual([...chart.nodes.keys()], ['a', 'b']);
    assert.deepEqual(chart.edges.map((e) => `${e.from}>${e.to}:${e.label}:${e.dotted}`), ['a>b::false', 'a>b:types only:true', 'b>a:signal:false', 'a>b:x:false']);
  });

  it('separates code from prose and computes GitHub anchors', () => {
    const doc = parseMarkdown('x.md', '# The native copy\n\nrun `ballast up` [y](y.md#a)\n```sh\ntemporal workflow list\n```\n');
    assert.deepEqual(codeLines(doc), ['ballast up', 'temporal workflow list']);
    assert.deepEqual(doc.links, ['y.md#a']);
    assert.equal(anchorOf('The native copy'), 'the-native-copy');
    assert.ok(doc.anchors.has('the-native-copy'));
  });

  it('tells runtime imports from type-only ones in compiled code', () => {
    const api = { name: '@ballast/api', dir: 'packages/api', deps: [] };
    assert.deepEqual(runtimeImporters(root, api, '@ballast/workflows').map((f) => f.slice(root.length)), ['/packages/api/dist/router/a.js']);
    assert.deepEqual(runtimeImporters(root, api, '@ballast/reporting'), []);
  });
});
