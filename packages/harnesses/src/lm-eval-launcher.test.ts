// Ballast's lm-eval launcher (python/ballast_lm_eval.py) decides whether lm-eval's task index can leave
// out lm-eval's own registry. Its decision is run here in the ML environment's real lm-eval, in one
// Python process for every case. That the launcher runs lm-eval with the smaller index, and that the
// results are lm-eval's, is shown by harness-eval.test.ts, whose runs go through it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { LM_EVAL_LAUNCHER } from './commands.js';
import { defaultPython } from './harness-testing.js';

const run = promisify(execFile);

/** Asks the launcher, for each case, whether --include_path alone suffices; prints one JSON list. */
const DECIDE = `
import json, sys
sys.path.insert(0, sys.argv[1])
from ballast_lm_eval import include_path_suffices, requested
print(json.dumps([include_path_suffices(*requested(argv)) for argv in json.loads(sys.argv[2])]))
`;

describe('lm-eval launcher: which task index a run needs', { timeout: 120_000 }, () => {
  let dir = '';
  let local = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-lm-eval-launcher-'));
    local = join(dir, 'tasks');
    await mkdir(local);
    const files: Record<string, string> = {
      'own_task.yaml': 'task: own_task\ndataset_path: json\noutput_type: multiple_choice\n',
      'tagged.yaml': 'task: tagged_task\ntag: own_tag\ndataset_path: json\n',
      'own_group.yaml': 'group: own_group\ntask:\n  - own_task\n  - task: tagged_task\n    num_fewshot: 1\n',
      'nested_group.yaml': 'group: nested_group\ntask:\n  - own_group\n',
      'mixed_group.yaml': 'group: mixed_group\ntask:\n  - own_task\n  - hellaswag\n',
      'inline_registry.yaml': 'group: inline_registry\ntask:\n  - task: hellaswag\n    num_fewshot: 5\n',
      'inline_mixed.yaml': 'group: inline_mixed\ntask:\n  - task: mixed_group\n    num_fewshot: 1\n',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(local, name), text);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes only the include path when every task asked for is defined there, and the whole registry otherwise', async () => {
    const cases: [string, string[], boolean][] = [
      ['a local task', ['--tasks', 'own_task', '--include_path', local], true],
      ['local tasks, as --tasks=a,b', ['--model', 'hf', `--tasks=own_task,tagged_task`, `--include_path=${local}`, '--limit', '2'], true],
      ['a local group of local tasks (one as an inline override)', ['--tasks', 'own_group', '--include_path', local], true],
      ['a local group of a local group', ['--tasks', 'nested_group', '--include_path', local], true],
      ['a task YAML file that is a single task', ['--tasks', join(local, 'own_task.yaml'), '--include_path', local], true],
      ['a registry task', ['--tasks', 'hellaswag', '--include_path', local], false],
      ['a local task and a registry task', ['--tasks', 'own_task,hellaswag', '--include_path', local], false],
      ['a local group with a registry member', ['--tasks', 'mixed_group', '--include_path', local], false],
      ['a local group overriding a registry task inline', ['--tasks', 'inline_registry', '--include_path', local], false],
      ['a local group naming, inline, a local group with a registry member', ['--tasks', 'inline_mixed', '--include_path', local], false],
      ['a tag (the registry may hold tasks with it)', ['--tasks', 'own_tag', '--include_path', local], false],
      ['a glob', ['--tasks', 'own_*', '--include_path', local], false],
      ['a task YAML file that is a group', ['--tasks', join(local, 'own_group.yaml'), '--include_path', local], false],
      ['a task YAML file that does not exist', ['--tasks', join(local, 'missing.yaml'), '--include_path', local], false],
      ['no include path', ['--tasks', 'own_task'], false],
      ['no tasks', ['--include_path', local], false],
    ];
    const python = await defaultPython();
    const { stdout } = await run(python, ['-c', DECIDE, dirname(LM_EVAL_LAUNCHER), JSON.stringify(cases.map(([, argv]) => argv))], { timeout: 90_000 });
    const answers = JSON.parse(stdout.trim().split('\n').at(-1)!) as boolean[];
    assert.deepEqual(
      cases.map(([what], i) => `${what}: ${answers[i]}`),
      cases.map(([what, , want]) => `${what}: ${want}`),
    );
  });
});
