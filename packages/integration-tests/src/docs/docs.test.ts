// The docs name settings, commands, scripts and paths; each must exist, and the package diagram in
// docs/architecture.md must say what the package.json files say. Reads files and runs `ballast help`;
// starts no server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { BallastConfig, ENV_BINDINGS, repositoryRoot } from '@ballast/config';
import { codeLines, parseMarkdown, readDocs, type MarkdownDoc } from './markdown.js';
import { parseFlowchart } from './mermaid.js';
import { pathExists, repoPathsIn, treePaths } from './repo-paths.js';
import { readWorkspace, runtimeImporters, type WorkspacePackage } from './workspace.js';

const root = repositoryRoot();
const docs = readDocs(root);

/** Fails once, listing every finding, so one run shows everything that is stale. */
function assertNone(findings: string[], what: string): void {
  assert.deepEqual(findings, [], `${what}:\n  ${findings.join('\n  ')}`);
}

/** Every dotted key path of the config schema: `api`, `api.maxBodyBytes`, ... */
function settingPaths(schema: unknown, prefix = ''): string[] {
  type Node = { shape?: Record<string, unknown>; _zod?: { def: { innerType?: unknown; out?: unknown } } };
  let node = schema as Node;
  while (!node.shape && (node._zod?.def.innerType ?? node._zod?.def.out)) node = (node._zod!.def.innerType ?? node._zod!.def.out) as Node;
  const here = prefix ? [prefix] : [];
  if (!node.shape) return here;
  return [...here, ...Object.entries(node.shape).flatMap(([key, value]) => settingPaths(value, prefix ? `${prefix}.${key}` : key))];
}

/** The text of the code that could read an environment variable (the docs test itself excluded). */
function sourceText(): string {
  const dirs = readWorkspace(root).flatMap((p) => ['src', 'bench', 'bin'].map((d) => join(root, p.dir, d)));
  const files = dirs.filter(existsSync).flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|mjs|js|sh|py|c)$/.test(e.name) && !join(e.parentPath, e.name).startsWith(join(root, 'packages', 'integration-tests', 'src', 'docs')))
      .map((e) => join(e.parentPath, e.name)),
  );
  const scripts = readdirSync(join(root, 'scripts'), { recursive: true, encoding: 'utf8' }).map((f) => join(root, 'scripts', f));
  // Every infra folder's scripts (infra/slurm, ray, ssh and lib are not workspaces but read variables too).
  const shells = readdirSync(join(root, 'infra'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => readdirSync(join(root, 'infra', e.name)).filter((f) => f.endsWith('.sh')).map((f) => join(root, 'infra', e.name, f)));
  return [...files, ...scripts, ...shells, join(root, '.ci', 'run')]
    .filter((f) => existsSync(f) && statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

describe('the docs name only what exists', { timeout: 60_000 }, () => {
  it('reads README.md and docs/*.md', () => {
    assert.ok(docs.length >= 5, `expected README.md and the docs/ files, found ${docs.map((d) => d.file).join(', ')}`);
  });

  it('every repository path (packages/…, apps/…, infra/…, scripts/…, examples/…, docs/…) exists', () => {
    const findings = docs.flatMap((doc) => repoPathsIn(doc.text).filter((p) => !pathExists(root, p)).map((p) => `${doc.file}: ${p}`));
    assertNone([...new Set(findings)], 'paths named in the docs that do not exist');
  });

  it('every relative link resolves, anchors included', () => {
    const findings: string[] = [];
    const byFile = new Map(docs.map((d) => [d.file, d]));
    for (const doc of docs) {
      for (const link of doc.links) {
        if (/^[a-z]+:/.test(link)) continue;
        const [target = '', anchor] = link.split('#');
        const file = target === '' ? doc.file : normalize(join(dirname(doc.file), target));
        if (!existsSync(join(root, file))) {
          findings.push(`${doc.file}: ${link} (no such file)`);
          continue;
        }
        if (!anchor || !file.endsWith('.md')) continue;
        const linked: MarkdownDoc = byFile.get(file) ?? parseMarkdown(file, readFileSync(join(root, file), 'utf8'));
        if (!linked.anchors.has(anchor)) findings.push(`${doc.file}: ${link} (no heading with that anchor)`);
      }
    }
    assertNone(findings, 'broken links');
  });

  it("the README's repository tree names existing folders, every workspace package among them", () => {
    const readme = docs.find((d) => d.file === 'README.md')!;
    const section = readme.text.split(/^## Repository$/m)[1] ?? '';
    const tree = parseMarkdown('README.md#repository', section).blocks[0]?.text ?? '';
    const listed = treePaths(tree);
    assert.ok(listed.length > 5, `expected a tree under '## Repository' in README.md, found: ${tree}`);
    const findings = listed.filter((p) => !pathExists(root, p)).map((p) => `${p} (listed, does not exist)`);
    for (const pkg of readWorkspace(root)) if (!listed.includes(pkg.dir)) findings.push(`${pkg.dir} (a workspace package the tree omits)`);
    assertNone(findings, "README.md's tree disagrees with the repository");
  });

  it('every setting (`api.maxBodyBytes`, ...) is a key of BallastConfig', () => {
    const known = new Set(settingPaths(BallastConfig));
    const sections = new Set([...known].filter((k) => !k.includes('.')));
    const findings = docs.flatMap((doc) =>
      doc.spans
        .filter((s) => /^[a-z][A-Za-z]*(\.[A-Za-z][A-Za-z0-9]*)+$/.test(s) && sections.has(s.split('.')[0]!))
        // File names (`temporal.db`, `postgres.log`) share the look of a setting.
        .filter((s) => !/\.(db|log|ya?ml|json|jsonl|md|ts|js|mjs|sh|conf|pid)$/.test(s))
        .filter((s) => !known.has(s))
        .map((s) => `${doc.file}: ${s}`),
    );
    assertNone(findings, 'settings named in the docs that BallastConfig does not have');
  });

  it('every BALLAST_* / TEMPORAL_* variable is a setting (ENV_BINDINGS) or read by the code', () => {
    const bound = new Set(ENV_BINDINGS.map((b) => b.env));
    const code = sourceText();
    const findings = docs.flatMap((doc) =>
      [...new Set([...doc.text.matchAll(/\b((?:BALLAST|TEMPORAL)_[A-Z0-9_]*[A-Z0-9])(\*)?/g)].map((m) => m[0]))]
        .filter((name) => {
          if (name.endsWith('*')) {
            const prefix = name.slice(0, -1);
            return ![...bound].some((b) => b.startsWith(prefix)) && !new RegExp(`\\b${prefix}`).test(code);
          }
          return !bound.has(name) && !new RegExp(`\\b${name}\\b`).test(code);
        })
        .map((name) => `${doc.file}: ${name}`),
    );
    assertNone(findings, 'environment variables named in the docs that nothing reads');
  });

  describe('commands', () => {
    let help = '';
    before(async () => {
      const cli = join(root, 'apps', 'cli', 'dist', 'main.js');
      help = (await promisify(execFile)(process.execPath, [cli, 'help'], { timeout: 30_000, env: { PATH: process.env['PATH'] } })).stdout;
    });

    it('every `ballast <command>` and its flags are in the CLI help', () => {
      const usage = [...help.matchAll(/^\s*ballast ([a-z][\w-]*)(?: ([a-z][\w-]*))?/gm)].map((m) => ({ command: m[1]!, sub: m[2] }));
      assert.ok(usage.length > 5, `expected the CLI's usage lines in:\n${help}`);
      const commands = new Set(usage.map((u) => u.command));
      const subs = new Map<string, Set<string>>();
      for (const u of usage) if (u.sub) subs.set(u.command, (subs.get(u.command) ?? new Set()).add(u.sub));
      const findings: string[] = [];
      for (const doc of docs) {
        for (const line of codeLines(doc)) {
          for (const m of line.replace(/\s#.*$/, '').matchAll(/(?<![\w/.$-])ballast(?:\s+--)?\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*))?([^`]*)/g)) {
            const [, command = '', sub, rest = ''] = m;
            if (!commands.has(command)) findings.push(`${doc.file}: ballast ${command} (not a command)`);
            else if (sub && subs.has(command) && !subs.get(command)!.has(sub)) findings.push(`${doc.file}: ballast ${command} ${sub} (not a subcommand)`);
            for (const flag of rest.matchAll(/(?<![\w-])--[a-z][\w-]*/g)) if (!help.includes(flag[0])) findings.push(`${doc.file}: ballast ${command} … ${flag[0]} (not a flag)`);
          }
        }
      }
      assertNone([...new Set(findings)], 'ballast commands in the docs that the CLI does not have');
    });
  });

  it('every `npm run <script>` is a script of the root package.json', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const findings = docs.flatMap((doc) => [...doc.text.matchAll(/\bnpm run ([\w:.-]+)/g)].filter((m) => !(m[1]! in scripts)).map((m) => `${doc.file}: npm run ${m[1]}`));
    assertNone([...new Set(findings)], 'npm scripts named in the docs that package.json lacks');
  });

  it('no command calls a bare `temporal` (it is not on PATH; Ballast installs it under .tools/)', () => {
    const findings = docs.flatMap((doc) =>
      codeLines(doc)
        .filter((line) => /(?:^|[;&|(]\s*|^\$\s+)temporal\s+[a-z]/.test(line.trim()))
        .map((line) => `${doc.file}: ${line.trim()}`),
    );
    assertNone(findings, 'commands that call `temporal` from PATH');
  });
});

describe('the package diagram in docs/architecture.md matches package.json', { timeout: 60_000 }, () => {
  const workspace = readWorkspace(root).filter((p) => p.name !== '@ballast/integration-tests');
  const byName = new Map(workspace.map((p) => [p.name, p]));
  const architecture = docs.find((d) => d.file === 'docs/architecture.md')!;
  const source = architecture.blocks.find((b) => b.lang === 'mermaid' && b.text.includes('@ballast/'))?.text ?? '';
  const chart = parseFlowchart(source);
  /** Packages a node's label names, by `@ballast/name` or by folder. */
  const members = new Map<string, WorkspacePackage[]>(
    [...chart.nodes].map(([id, label]) => {
      const tokens = new Set(label.split(/<br\/>|[\s·,()+]+/).filter((t) => t !== ''));
      return [id, workspace.filter((p) => tokens.has(p.name) || tokens.has(p.dir))];
    }),
  );
  const nodeOf = (pkg: string) => [...members].filter(([, ps]) => ps.some((p) => p.name === pkg)).map(([id]) => id);

  it('has a flowchart whose nodes name workspace packages', () => {
    assert.ok(chart.edges.length > 5, `expected the package flowchart in docs/architecture.md, found:\n${source}`);
    const empty = [...members].filter(([, ps]) => ps.length === 0).map(([id]) => `${id}: "${chart.nodes.get(id)}"`);
    assertNone(empty, 'diagram nodes that name no workspace package (write @ballast/NAME or its folder)');
  });

  it('draws every workspace package exactly once', () => {
    const findings = workspace.map((p) => ({ p, at: nodeOf(p.name) })).filter(({ at }) => at.length !== 1).map(({ p, at }) => `${p.name} in ${at.length} nodes`);
    assertNone(findings, 'packages missing from (or repeated in) the diagram');
  });

  it('every edge is a dependency in package.json', () => {
    const findings = chart.edges.flatMap(({ from, to }) =>
      (members.get(to) ?? [])
        .filter((target) => !(members.get(from) ?? []).some((p) => p.deps.includes(target.name)))
        .map((target) => `${from} --> ${to}: no package of '${from}' depends on ${target.name}`),
    );
    assertNone(findings, 'diagram edges that package.json does not have');
  });

  it('every dependency in package.json is a path in the diagram', () => {
    const next = new Map<string, string[]>();
    for (const { from, to } of chart.edges) next.set(from, [...(next.get(from) ?? []), to]);
    const reaches = (start: string, goal: string) => {
      const seen = new Set([start]);
      const queue = [start];
      while (queue.length > 0) {
        for (const n of next.get(queue.shift()!) ?? []) {
          if (seen.has(n)) continue;
          seen.add(n);
          queue.push(n);
        }
      }
      return seen.has(goal);
    };
    const findings: string[] = [];
    for (const pkg of workspace) {
      for (const dep of pkg.deps.filter((d) => byName.has(d))) {
        const [a] = nodeOf(pkg.name);
        const [b] = nodeOf(dep);
        if (a && b && a !== b && !reaches(a, b)) findings.push(`${pkg.name} depends on ${dep}, but no path leads from '${a}' to '${b}'`);
      }
    }
    assertNone(findings, 'dependencies the diagram misses');
  });

  it("edges marked 'types only' carry no value at run time", () => {
    const findings = chart.edges
      .filter((e) => /types only/i.test(e.label))
      .flatMap(({ from, to }) =>
        (members.get(from) ?? []).flatMap((a) =>
          (members.get(to) ?? []).flatMap((b) => runtimeImporters(root, a, b.name).map((file) => `${from} -. types only .-> ${to}: ${file.slice(root.length + 1)} loads ${b.name}`)),
        ),
      );
    assertNone(findings, "'types only' edges that a runtime import crosses");
  });
});
