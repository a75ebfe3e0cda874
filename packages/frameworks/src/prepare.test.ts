import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareLaunch } from './prepare.js';
import { TRL_SPEC } from './render/golden-cases.js';
import { renderTrl, TRL_CONFIG_FILE } from './render/trl.js';

void test('prepareLaunch writes the config files into the job dir and returns argv, env and cwd', async () => {
  const jobDir = await mkdtemp(join(tmpdir(), 'fw-job-'));
  const launch = renderTrl(TRL_SPEC);
  const command = await prepareLaunch(launch, jobDir);
  assert.deepEqual(command, { command: launch.argv, env: launch.env, cwd: jobDir });
  assert.equal(await readFile(join(jobDir, TRL_CONFIG_FILE), 'utf8'), launch.files[0]!.contents);
  // Writing again is harmless: the same bytes.
  await prepareLaunch(launch, jobDir);
  assert.equal(await readFile(join(jobDir, TRL_CONFIG_FILE), 'utf8'), launch.files[0]!.contents);
});

void test('prepareLaunch refuses a relative job dir and files that would land outside it', async () => {
  const launch = renderTrl(TRL_SPEC);
  await assert.rejects(prepareLaunch(launch, 'jobs/1'), /absolute/);
  const jobDir = await mkdtemp(join(tmpdir(), 'fw-job-'));
  await assert.rejects(prepareLaunch({ ...launch, files: [{ relativePath: '../evil.yaml', contents: '' }] }, jobDir), /outside/);
  await assert.rejects(prepareLaunch({ ...launch, files: [{ relativePath: '/etc/evil.yaml', contents: '' }] }, jobDir), /outside/);
});
