import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { readBenchmarkEntryFile } from './entry-file.js';
import { BenchmarkEntryFileError } from './errors.js';
import { EXAMPLES_DIR } from './harness-testing.js';

describe('readBenchmarkEntryFile', { timeout: 10_000 }, () => {
  let dir = '';
  const entryFile = async (name: string, yaml: string): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, yaml);
    return file;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-entry-file-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads every example entry with its task files and directories as file:/// URIs that exist', async () => {
    const names = (await readdir(EXAMPLES_DIR)).filter((n) => n.endsWith('.benchmark.yaml')).sort();
    assert.deepEqual(names, ['calibration-mc.benchmark.yaml', 'helpfulness-mc.benchmark.yaml', 'honesty-probe.benchmark.yaml', 'sycophancy-probe.benchmark.yaml']);
    for (const name of names) {
      const entry = await readBenchmarkEntryFile(join(EXAMPLES_DIR, name));
      assert.equal(`${entry.id}.benchmark.yaml`, name, 'the file is named after the id');
      assert.equal(entry.version, 1);
      assert.match(entry.description, /^Example benchmark/);
      assert.equal(entry.simulated, false);
      const h = entry.harness;
      if (h.kind === 'inspect') {
        assert.match(h.task, /^file:\/\/\/.+\.py$/, name);
        assert.ok(statSync(fileURLToPath(h.task)).isFile(), `${name}: ${h.task} exists`);
      } else if (h.kind === 'lm-eval') {
        assert.match(h.includePath ?? '', /^file:\/\/\//, name);
        const include = fileURLToPath(h.includePath!);
        assert.ok(existsSync(join(include, `${h.task}.yaml`)), `${name}: the task YAML is in ${include}`);
      } else {
        assert.fail(`${name}: an example names a real harness`);
      }
    }
  });

  it('resolves relative paths against the file, keeps #task, leaves registered names and URIs alone', async () => {
    const base = (harness: string) => `id: b\nversion: 2\ncategory: honesty\ndescription: d\nmetric: m\ndirection: higher_is_better\nharness:\n${harness}`;
    const relative = await readBenchmarkEntryFile(await entryFile('a.yaml', base('  kind: inspect\n  task: sub/t.py#two\n')));
    assert.equal(relative.harness.kind === 'inspect' && relative.harness.task, `${pathToFileURL(join(dir, 'sub', 't.py')).href}#two`);
    const absolute = await readBenchmarkEntryFile(await entryFile('b.yaml', base('  kind: inspect\n  task: /abs/dir with space/t.py\n')));
    assert.equal(absolute.harness.kind === 'inspect' && absolute.harness.task, 'file:///abs/dir%20with%20space/t.py');
    const registered = await readBenchmarkEntryFile(await entryFile('c.yaml', base('  kind: inspect\n  task: inspect_evals/gsm8k\n')));
    assert.equal(registered.harness.kind === 'inspect' && registered.harness.task, 'inspect_evals/gsm8k');
    const lm = await readBenchmarkEntryFile(await entryFile('d.yaml', base('  kind: lm-eval\n  task: t\n  includePath: ../tasks\n')));
    assert.equal(lm.harness.kind === 'lm-eval' && lm.harness.includePath, pathToFileURL(join(dir, '..', 'tasks')).href);
    assert.equal(lm.harness.kind === 'lm-eval' && lm.harness.metricKey, 'acc', 'schema defaults applied');
    const uri = await readBenchmarkEntryFile(await entryFile('e.yaml', base('  kind: lm-eval\n  task: t\n  includePath: file:///x/y\n')));
    assert.equal(uri.harness.kind === 'lm-eval' && uri.harness.includePath, 'file:///x/y');
  });

  it('names the file and every failing field', async () => {
    await assert.rejects(readBenchmarkEntryFile(join(dir, 'missing.yaml')), (err: unknown) => err instanceof BenchmarkEntryFileError && err.code === 'BENCHMARK_ENTRY_FILE_INVALID' && err.issues[0]?.path === '(file)');
    await assert.rejects(readBenchmarkEntryFile(await entryFile('list.yaml', '- a\n')), (err: unknown) => err instanceof BenchmarkEntryFileError && /must be a mapping/.test(err.message));
    await assert.rejects(readBenchmarkEntryFile(await entryFile('bad.yaml', 'id: b\nversion: 0\ncategory: nope\ndescription: d\nmetric: m\ndirection: up\nharness: {kind: inspect, task: ./t.py}\n')), (err: unknown) => {
      assert.ok(err instanceof BenchmarkEntryFileError);
      assert.deepEqual(err.issues.map((i) => i.path).sort(), ['category', 'direction', 'version']);
      assert.ok(err.message.includes(join(dir, 'bad.yaml')));
      return true;
    });
  });
});
