import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findTemporalCli, localCliPath, TemporalCliNotFoundError } from './cli.js';

function fakeExecutable(dir: string, name = 'temporal'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findTemporalCli', () => {
  const log = () => undefined;

  it('prefers TEMPORAL_CLI, then PATH, then the project-local install', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
    const explicit = fakeExecutable(join(root, 'explicit'));
    const onPath = fakeExecutable(join(root, 'bin'));
    const toolsDir = join(root, 'tools');
    const local = fakeExecutable(join(toolsDir, 'temporal-venv', 'bin'));
    assert.equal(local, localCliPath(toolsDir));

    const a = await findTemporalCli({ explicitPath: explicit, searchPath: join(root, 'bin'), toolsDir, install: false, log });
    assert.deepEqual(a, { path: explicit, source: 'TEMPORAL_CLI' });
    const b = await findTemporalCli({ searchPath: `/nonexistent:${join(root, 'bin')}`, toolsDir, install: false, log });
    assert.deepEqual(b, { path: onPath, source: 'PATH' });
    const c = await findTemporalCli({ searchPath: '/nonexistent', toolsDir, install: false, log });
    assert.deepEqual(c, { path: local, source: 'tools' });
  });

  it('says what is wrong when nothing is found and installing is not allowed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
    await assert.rejects(
      findTemporalCli({ searchPath: '/nonexistent', toolsDir: join(root, 'tools'), install: false, log }),
      TemporalCliNotFoundError,
    );
    await assert.rejects(
      findTemporalCli({ explicitPath: join(root, 'missing'), searchPath: '', toolsDir: root, install: false, log }),
      /TEMPORAL_CLI=.*is not an executable file/,
    );
  });
});
