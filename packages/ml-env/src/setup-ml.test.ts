import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { distributionFile, ensureMlVenv, LOCK_FILE, missingWheels, mlVenvPaths, parseLock } from '@ballast/ml-env/setup';

const run = promisify(execFile);

// A FAKE one-module distribution, so the setup's venv/install/marker logic runs in seconds and offline.
const FAKE_WHEEL = 'ballast_fake_dist-1.0-py3-none-any.whl';
const MAKE_FAKE_WHEEL = `
import sys, zipfile
info = "ballast_fake_dist-1.0.dist-info/"
files = {
    "ballast_fake_dist.py": "VALUE = 42\\n",
    info + "METADATA": "Metadata-Version: 2.1\\nName: ballast-fake-dist\\nVersion: 1.0\\n",
    info + "WHEEL": "Wheel-Version: 1.0\\nGenerator: ballast-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
files[info + "RECORD"] = "".join(name + ",,\\n" for name in files) + info + "RECORD,,\\n"
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, text in files.items():
        z.writestr(name, text)
`;
const FAKE_LOCK = '# FAKE lock for the setup tests: one made-up distribution\nballast-fake-dist==1.0\n';

describe('the lock and the wheel directory', { timeout: 10_000 }, () => {
  it('reads the shipped lock: pinned torch, transformers, trl, inspect-ai, lm-eval', async () => {
    const lock = parseLock(await readFile(LOCK_FILE, 'utf8'));
    const pins = new Map(lock.map((r) => [r.name.toLowerCase(), r.version]));
    assert.equal(pins.get('torch'), '2.15.0');
    assert.equal(pins.get('transformers'), '5.25.0');
    assert.equal(pins.get('trl'), '1.16.0');
    assert.equal(pins.get('inspect_ai'), '0.3.285');
    assert.equal(pins.get('lm_eval'), '0.4.13');
    assert.ok(pins.has('setuptools'), 'ensurepip\'s own packages are pinned too (torch wants setuptools>=77)');
    assert.ok(lock.length > 100, `the whole closure is pinned (${lock.length} lines)`);
  });

  it('refuses a lock line that is not name==version, by line number', () => {
    assert.throws(() => parseLock('# c\ntorch==2.15.0\ntrl>=1.0\n'), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ML_SETUP_FAILED');
      assert.match(err.message, /line 3 is not 'name==version'/);
      return true;
    });
  });

  it('matches wheel files to lock lines by normalised name and version', async () => {
    assert.deepEqual(distributionFile('inspect_ai-0.3.285-py3-none-any.whl'), { name: 'inspect_ai', version: '0.3.285' });
    assert.deepEqual(distributionFile('rouge_score-0.1.2.tar.gz'), { name: 'rouge_score', version: '0.1.2' });
    const wheels = await mkdtemp(join(tmpdir(), 'ballast-wheels-'));
    try {
      await writeFile(join(wheels, 'inspect_ai-0.3.285-py3-none-any.whl'), '');
      await writeFile(join(wheels, 'PyYAML-6.0.4-cp311-cp311-manylinux_2_17_x86_64.whl'), '');
      const lock = parseLock('inspect-ai==0.3.285\npyyaml==6.0.4\nlm_eval==0.4.13\ntrl==1.16.0\n');
      assert.deepEqual(missingWheels(lock, wheels).map((r) => r.line), ['lm_eval==0.4.13', 'trl==1.16.0']);
    } finally {
      await rm(wheels, { recursive: true, force: true });
    }
  });
});

describe('ensureMlVenv with a FAKE lock', { timeout: 120_000 }, () => {
  let tools = '';
  let lockFile = '';
  const lines: string[] = [];
  const options = () => ({ toolsDir: tools, lockFile, importCheck: 'import ballast_fake_dist', log: (line: string) => lines.push(line) });

  before(async () => {
    tools = await mkdtemp(join(tmpdir(), 'ballast-setup-ml-'));
    lockFile = join(tools, 'fake.lock');
    await writeFile(lockFile, FAKE_LOCK);
    await mkdir(mlVenvPaths(tools).wheels, { recursive: true });
    await run('python3', ['-c', MAKE_FAKE_WHEEL, join(mlVenvPaths(tools).wheels, FAKE_WHEEL)], { timeout: 30_000 });
  });
  after(async () => {
    if (tools) await rm(tools, { recursive: true, force: true });
  });

  it('builds from the wheel directory without downloading, then does nothing while the marker matches', async () => {
    const paths = mlVenvPaths(tools);
    const built = await ensureMlVenv(options());
    assert.equal(built.action, 'built', lines.join('\n'));
    assert.equal(built.downloadedFiles, 0);
    assert.ok(lines.some((l) => l.includes('downloading nothing')), lines.join('\n'));
    const marker = JSON.parse(await readFile(paths.marker, 'utf8')) as { lockSha256: string };
    assert.equal(marker.lockSha256, built.lockSha256);
    const { stdout } = await run(paths.python, ['-c', 'import ballast_fake_dist; print(ballast_fake_dist.VALUE)']);
    assert.equal(stdout.trim(), '42');

    lines.length = 0;
    const again = await ensureMlVenv(options());
    assert.equal(again.action, 'none');
    assert.deepEqual(lines.length, 1, `one line when nothing is to do: ${lines.join(' | ')}`);
    assert.match(lines[0]!, /up to date/);
  });

  it('adopts a venv without a marker that holds exactly the lock', async () => {
    await rm(mlVenvPaths(tools).marker);
    const adopted = await ensureMlVenv(options());
    assert.equal(adopted.action, 'adopted');
    assert.ok(existsSync(mlVenvPaths(tools).marker));
  });

  it('rebuilds when the lock changes, removing the old venv first', async () => {
    const paths = mlVenvPaths(tools);
    await writeFile(join(paths.venv, 'stale-file'), '');
    await writeFile(lockFile, `${FAKE_LOCK}# changed\n`);
    lines.length = 0;
    const rebuilt = await ensureMlVenv(options());
    assert.equal(rebuilt.action, 'built');
    assert.ok(lines.some((l) => l.startsWith(`removing ${paths.venv}`)), lines.join('\n'));
    assert.equal(existsSync(join(paths.venv, 'stale-file')), false);
  });

  it('removes and rebuilds a venv without a marker that does not hold the lock (an interrupted build)', async () => {
    const paths = mlVenvPaths(tools);
    await rm(paths.marker);
    await run(paths.python, ['-m', 'pip', 'uninstall', '-y', '-q', 'ballast-fake-dist'], { timeout: 60_000 });
    lines.length = 0;
    const rebuilt = await ensureMlVenv(options());
    assert.equal(rebuilt.action, 'built');
    assert.ok(lines.some((l) => l.includes('no marker')), lines.join('\n'));
    assert.ok(existsSync(paths.marker));
  });

  it('refuses to run beside another setup of the same tools directory', async () => {
    await writeFile(lockFile, `${FAKE_LOCK}# changed again\n`);
    await writeFile(mlVenvPaths(tools).busy, String(process.pid));
    try {
      await assert.rejects(ensureMlVenv(options()), /another ML environment setup \(pid \d+\) is running/);
    } finally {
      await rm(mlVenvPaths(tools).busy, { force: true });
    }
  });
});
