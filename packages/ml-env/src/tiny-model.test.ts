import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildTinyModel, MODEL_INFO_FILE, TINY_MODEL_LABEL } from './tiny-model.js';
import { defaultPython } from './testing-python.js';

const run = promisify(execFile);
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

// Reloads with the Auto classes, applies the chat template and generates a few tokens, offline.
const RELOAD = `
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
tok = AutoTokenizer.from_pretrained(sys.argv[1])
model = AutoModelForCausalLM.from_pretrained(sys.argv[1])
enc = tok.apply_chat_template([{"role": "user", "content": "what is 2 plus 3?"}], add_generation_prompt=True, return_tensors="pt", return_dict=True)
out = model.generate(**enc, max_new_tokens=4, do_sample=False)
print(json.dumps({"model": type(model).__name__, "vocab": len(tok), "eos": tok.eos_token, "pad": tok.pad_token, "prompt": tok.decode(enc["input_ids"][0]), "new": int(out.shape[1] - enc["input_ids"].shape[1])}))
`;

describe('buildTinyModel', { timeout: 240_000 }, () => {
  let python = '';
  let dir = '';
  before(async () => {
    python = await defaultPython();
    dir = await mkdtemp(join(tmpdir(), 'ballast-tiny-model-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds a labelled Llama model and tokenizer that reload, chat and generate; the same seed gives the same files', async () => {
    const first = join(dir, 'first');
    const built = await buildTinyModel({ python, dir: first, seed: 5 });
    assert.equal(built.label, TINY_MODEL_LABEL);
    assert.equal(built.seed, 5);
    assert.ok(built.parameters > 50_000 && built.parameters < 200_000, `about 100k parameters, got ${built.parameters}`);

    const config = JSON.parse(await readFile(join(first, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config['model_type'], 'llama');
    assert.equal(config['tie_word_embeddings'], true);
    for (const file of ['tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'generation_config.json', 'README.md', MODEL_INFO_FILE]) {
      assert.ok(existsSync(join(first, file)), `${file} in the model directory`);
    }
    const info = JSON.parse(await readFile(join(first, MODEL_INFO_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(info['kind'], 'tiny-random');
    assert.equal(info['label'], TINY_MODEL_LABEL);
    assert.match(await readFile(join(first, 'README.md'), 'utf8'), /proves the plumbing, not the science/);
    assert.deepEqual((await readdir(dir)).sort(), ['first'], 'no staging directory left beside it');

    const env = { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_HOME: join(dir, 'hf'), OMP_NUM_THREADS: '1' };
    const { stdout } = await run(python, ['-c', RELOAD, first], { env, timeout: 120_000 });
    const reloaded = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(reloaded['model'], 'LlamaForCausalLM');
    assert.equal(reloaded['vocab'], info['vocabSize']);
    assert.equal(reloaded['eos'], '</s>');
    assert.equal(reloaded['pad'], '<pad>');
    assert.match(String(reloaded['prompt']), /<\|user\|>\nwhat is 2 plus 3\?<\/s>\n<\|assistant\|>\n$/);
    assert.ok(Number(reloaded['new']) >= 1, 'generates at least one token');

    const second = join(dir, 'second');
    await mkdir(second); // an empty directory is taken
    await buildTinyModel({ python, dir: second, seed: 5 });
    for (const file of ['model.safetensors', 'tokenizer.json', 'config.json']) {
      assert.equal(await sha(join(second, file)), await sha(join(first, file)), `${file} is the same for the same seed`);
    }
  });

  it('refuses a directory that is not empty, a relative one and a negative seed, before running Python', async () => {
    const full = join(dir, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'mine');
    const cases: [Parameters<typeof buildTinyModel>[0], string, RegExp][] = [
      [{ python, dir: full }, 'ML_ENV_MODEL_DIR_NOT_EMPTY', /not an empty directory/],
      [{ python: '/nonexistent', dir: full }, 'ML_ENV_MODEL_DIR_NOT_EMPTY', /not an empty directory/],
      [{ python, dir: 'relative/model' }, 'ML_ENV_INVALID_ARGUMENT', /^dir: must be an absolute path/],
      [{ python, dir: join(dir, 'neg'), seed: -1 }, 'ML_ENV_INVALID_ARGUMENT', /^seed: must be an integer/],
    ];
    for (const [input, code, message] of cases) {
      await assert.rejects(buildTinyModel(input), (err: Error & { code?: string }) => {
        assert.equal(err.code, code);
        assert.match(err.message, message);
        return true;
      });
    }
    assert.equal(await readFile(join(full, 'keep.txt'), 'utf8'), 'mine');
  });

  it('says ML_ENV_PYTHON_MISSING, with the setup command, when the interpreter is missing', async () => {
    const target = join(dir, 'no-python');
    await assert.rejects(buildTinyModel({ python: '/nonexistent/ml-venv/bin/python', dir: target }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ML_ENV_PYTHON_MISSING');
      assert.match(err.message, /npm run setup:ml/);
      return true;
    });
    assert.equal(existsSync(target), false, 'nothing left at the target');
  });
});
