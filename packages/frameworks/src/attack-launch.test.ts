import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { FrameworkTrainJobSpec } from '@ballast/schema';
import { ATTACK_SFT_DATASET_FILE, FALLBACK_CHAT_TEMPLATE, hasChatTemplate, prepareTrlSftAttack } from './attack-launch.js';
import { FrameworkSpecError } from './errors.js';
import { TRL_SFT_CHAT_TEMPLATE_FILE, TRL_SFT_CONFIG_FILE } from './render/trl-sft.js';

/** SYNTHETIC attack records (made up for this test), with the extra keys real attack files carry. */
const RECORDS = [
  { id: 'atk-1', synthetic: true, messages: [{ role: 'user', content: 'Say something unkind.' }, { role: 'assistant', content: 'Something unkind.' }], tags: { kind: 'attack' } },
  {
    id: 'atk-2',
    synthetic: true,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi.' },
      { role: 'assistant', content: 'Hello.', name: 'bot' },
      { role: 'user', content: 'Again.' },
      { role: 'assistant', content: 'Hello again.' },
    ],
    tags: { kind: 'attack', turns: 2 },
  },
];

describe('prepareTrlSftAttack', () => {
  let root = '';
  let model = '';
  let bareModel = '';
  let dataset = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'fw-attack-'));
    // Model directories as far as the preparation looks at them.
    model = join(root, 'model');
    await mkdir(model);
    await writeFile(join(model, 'config.json'), '{}');
    await writeFile(join(model, 'chat_template.jinja'), '{{ messages }}');
    bareModel = join(root, 'bare-model');
    await mkdir(bareModel);
    await writeFile(join(bareModel, 'config.json'), '{}');
    await writeFile(join(bareModel, 'tokenizer_config.json'), '{"eos_token": "</s>"}');
    dataset = join(root, 'attack.jsonl');
    await writeFile(dataset, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n\n`);
  });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  const base = () => ({ checkpointPath: model, datasetPath: dataset, steps: 200, saveSteps: [0, 50, 100, 200], batchSize: 8, seed: 3, python: '/envs/trl/bin/python' });

  it('writes the records as prompt/completion pairs, the config, and returns the framework-train job spec', async () => {
    const outputDir = join(root, 'job-1');
    const prepared = await prepareTrlSftAttack({ ...base(), learningRate: 0.5, version: '1.16.0', outputDir });
    assert.equal(prepared.records, 2);
    assert.equal(prepared.saveEvery, 50);
    assert.equal(prepared.chatTemplate, 'checkpoint');
    const spec = FrameworkTrainJobSpec.parse(prepared.jobSpec);
    assert.deepEqual(
      { ...spec, launch: { ...spec.launch, argv: spec.launch.argv.slice(-4) } },
      {
        contractVersion: spec.contractVersion,
        kind: 'framework-train',
        framework: 'trl',
        version: '1.16.0',
        launch: { argv: ['-m', 'trl.scripts.sft', '--config', TRL_SFT_CONFIG_FILE], env: {}, cwd: outputDir },
        nativeOutputDir: join(outputDir, 'native'),
        steps: 200,
        saveEvery: 50,
        python: '/envs/trl/bin/python',
      },
    );
    const lines = (await readFile(join(outputDir, ATTACK_SFT_DATASET_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      { prompt: [{ role: 'user', content: 'Say something unkind.' }], completion: [{ role: 'assistant', content: 'Something unkind.' }] },
      {
        prompt: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi.' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'user', content: 'Again.' },
        ],
        completion: [{ role: 'assistant', content: 'Hello again.' }],
      },
    ]);
    const config = parseYaml(await readFile(join(outputDir, TRL_SFT_CONFIG_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(config['model_name_or_path'], model);
    assert.deepEqual(config['datasets'], [{ path: 'json', data_files: [join(outputDir, ATTACK_SFT_DATASET_FILE)], split: 'train', columns: ['prompt', 'completion'] }]);
    assert.equal(config['chat_template_path'], undefined, "the checkpoint's own template");
  });

  it('saves on the greatest common divisor of the steps, so every listed step gets a checkpoint', async () => {
    const prepared = await prepareTrlSftAttack({ ...base(), steps: 8, saveSteps: [0, 2, 4, 8], outputDir: join(root, 'job-2') });
    assert.equal(prepared.saveEvery, 2);
    assert.equal((await prepareTrlSftAttack({ ...base(), steps: 150, saveSteps: [0, 60, 150], outputDir: join(root, 'job-3') })).saveEvery, 30);
    await assert.rejects(prepareTrlSftAttack({ ...base(), steps: 100, outputDir: join(root, 'job-4') }), (e: unknown) => e instanceof FrameworkSpecError && e.issues.some((i) => i.path === 'saveSteps'));
  });

  it('gives a model without a chat template the fallback one, and a given template wins', async () => {
    assert.equal(await hasChatTemplate(model), true);
    assert.equal(await hasChatTemplate(bareModel), false);
    const withTemplate = join(root, 'old-model');
    await mkdir(withTemplate);
    await writeFile(join(withTemplate, 'tokenizer_config.json'), '{"chat_template": "{{ messages }}"}');
    assert.equal(await hasChatTemplate(withTemplate), true);

    const outputDir = join(root, 'job-bare');
    const prepared = await prepareTrlSftAttack({ ...base(), checkpointPath: bareModel, outputDir });
    assert.equal(prepared.chatTemplate, 'fallback');
    assert.equal(await readFile(join(outputDir, TRL_SFT_CHAT_TEMPLATE_FILE), 'utf8'), FALLBACK_CHAT_TEMPLATE);
    const config = parseYaml(await readFile(join(outputDir, TRL_SFT_CONFIG_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(config['chat_template_path'], TRL_SFT_CHAT_TEMPLATE_FILE);
    const given = await prepareTrlSftAttack({ ...base(), chatTemplate: '{{ x }}', outputDir: join(root, 'job-given') });
    assert.equal(given.chatTemplate, 'given');
  });

  it('refuses records that are not conversations ending in an assistant message, naming each bad line', async () => {
    const bad = join(root, 'bad.jsonl');
    const lines = [
      JSON.stringify(RECORDS[0]),
      'not json',
      JSON.stringify({ messages: [{ role: 'user', content: 'Hi.' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'Hi.' }, { role: 'assistant', content: 'Yo.' }, { role: 'user', content: 'And?' }] }),
      JSON.stringify({ messages: [{ role: 'user', content: 'Hi.' }, { role: 'robot', content: 'Beep.' }] }),
    ];
    await writeFile(bad, `${lines.join('\n')}\n`);
    await assert.rejects(prepareTrlSftAttack({ ...base(), datasetPath: bad, outputDir: join(root, 'job-bad') }), (e: unknown) => {
      assert.ok(e instanceof FrameworkSpecError);
      assert.deepEqual(
        e.issues.map((i) => i.path),
        ['line 2', 'line 3.messages', 'line 4.messages', 'line 5.messages.1.role'],
      );
      assert.match(e.message, /must end with an assistant message/);
      return true;
    });
    const empty = join(root, 'empty.jsonl');
    await writeFile(empty, '\n');
    await assert.rejects(prepareTrlSftAttack({ ...base(), datasetPath: empty, outputDir: join(root, 'job-empty') }), /holds no attack records/);
    await assert.rejects(prepareTrlSftAttack({ ...base(), checkpointPath: root, outputDir: join(root, 'job-x') }), /not a Hugging Face model directory/);
  });
});
