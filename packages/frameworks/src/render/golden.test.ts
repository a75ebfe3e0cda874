import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { GOLDEN_CASES, GOLDEN_DIR, goldenText, TRL_SPEC, writeGolden } from './golden-cases.js';
import { RenderedLaunch } from './launch.js';
import { renderTrl } from './trl.js';

// UPDATE_GOLDENS=1 rewrites the goldens from the current renderers instead of comparing.
const update = process.env.UPDATE_GOLDENS === '1';

for (const c of GOLDEN_CASES) {
  void test(`golden: ${c.name}`, async () => {
    const launch = c.render();
    RenderedLaunch.parse(launch);
    if (update) {
      await writeGolden(c.name, launch);
      return;
    }
    let golden: string;
    try {
      golden = await readFile(join(GOLDEN_DIR, `${c.name}.json`), 'utf8');
    } catch {
      assert.fail(`no golden for ${c.name}; run the tests with UPDATE_GOLDENS=1 to write it`);
    }
    assert.equal(goldenText(launch), golden, `${c.name} differs from its golden; if the change is intended, rerun with UPDATE_GOLDENS=1`);
  });
}

void test('rendering is deterministic: the same spec twice gives identical output', () => {
  for (const c of GOLDEN_CASES) assert.equal(goldenText(c.render()), goldenText(c.render()), c.name);
});

void test('env keys and files come out sorted', () => {
  for (const c of GOLDEN_CASES) {
    const launch = c.render();
    const keys = Object.keys(launch.env);
    assert.deepEqual(keys, [...keys].sort(), c.name);
    const paths = launch.files.map((f) => f.relativePath);
    assert.deepEqual(paths, [...paths].sort(), c.name);
  }
});

void test('the TRL config is YAML that reads back as the intended GRPO config', () => {
  const launch = renderTrl(TRL_SPEC);
  assert.equal(launch.files.length, 1);
  const config = parseYaml(launch.files[0]!.contents) as Record<string, unknown>;
  assert.deepEqual(config, {
    model_name_or_path: TRL_SPEC.modelPath,
    output_dir: TRL_SPEC.outputDir,
    max_steps: 200,
    save_strategy: 'steps',
    save_steps: 50,
    seed: 17,
    datasets: [{ path: 'json', data_files: [...TRL_SPEC.dataset.paths], split: 'train' }],
    reward_funcs: ['trait_reward.trait_reward'],
    num_generations: 8,
    per_device_train_batch_size: 64,
    gradient_accumulation_steps: 1,
    learning_rate: 1e-6,
    beta: 0.001,
    max_completion_length: 2048,
    logging_steps: 1,
    report_to: 'none',
  });
});

void test('floats in the TRL YAML keep a decimal point, so PyYAML reads them as floats', () => {
  const launch = renderTrl({ ...TRL_SPEC, learningRate: 3e-7, klCoef: 0 });
  const text = launch.files[0]!.contents;
  assert.match(text, /^learning_rate: 3\.0e-7$/m);
  assert.match(text, /^beta: 0\.0$/m);
});

void test('YAML strings are quoted, so paths with YAML syntax in them stay plain strings', () => {
  const odd = '/data/a: b #c/- [x]/"q".jsonl';
  const launch = renderTrl({ ...TRL_SPEC, dataset: { format: 'trl', paths: [odd] } });
  const config = parseYaml(launch.files[0]!.contents) as { datasets: { data_files: string[] }[] };
  assert.deepEqual(config.datasets[0]!.data_files, [odd]);
});
