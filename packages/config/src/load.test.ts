import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, redactConfig, repositoryRoot } from './load.js';
import { ENV_BINDINGS } from './env-bindings.js';

describe('loadConfig', () => {
  it('layers defaults < file < environment < flags', () => {
    const home = mkdtempSync(join(tmpdir(), 'ballast-config-'));
    writeFileSync(join(home, 'config.yaml'), 'api:\n  port: 7401\n  host: 127.0.0.2\ntemporal:\n  namespace: from-file\n');
    const config = loadConfig({
      env: { BALLAST_HOME: home, BALLAST_API_PORT: '7402', TEMPORAL_NAMESPACE: 'from-env' },
      flags: { api: { port: 7403 } },
    });
    assert.equal(config.api.port, 7403, 'flags beat env');
    assert.equal(config.temporal.namespace, 'from-env', 'env beats file');
    assert.equal(config.api.host, '127.0.0.2', 'file beats defaults');
    assert.equal(config.database.embeddedPort, 54329, 'defaults');
    assert.equal(config.home, home);
  });

  it('defaults to .ballast in the working directory and loopback', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ballast-cwd-'));
    const config = loadConfig({ env: {}, cwd });
    assert.equal(config.home, join(cwd, '.ballast'));
    assert.equal(config.api.host, '127.0.0.1');
    assert.equal(config.toolsDir, join(repositoryRoot(), '.tools'));
  });

  it('reports invalid values with the field and its variable', () => {
    assert.throws(
      () => loadConfig({ env: { BALLAST_API_PORT: 'seventy' }, cwd: tmpdir() }),
      (error: unknown) => error instanceof ConfigError && /api\.port \(BALLAST_API_PORT\)/.test(error.message),
    );
    const home = mkdtempSync(join(tmpdir(), 'ballast-config-'));
    writeFileSync(join(home, 'config.yaml'), 'api:\n  prot: 1\n');
    assert.throws(() => loadConfig({ env: { BALLAST_HOME: home } }), /api\.prot/);
  });

  it('reads booleans from the environment as words', () => {
    assert.equal(loadConfig({ env: { TEMPORAL_TLS: 'false' }, cwd: tmpdir() }).temporal.tls.enabled, false);
    assert.equal(loadConfig({ env: { TEMPORAL_TLS: 'true' }, cwd: tmpdir() }).temporal.tls.enabled, true);
    assert.throws(() => loadConfig({ env: { TEMPORAL_TLS: 'maybe' }, cwd: tmpdir() }), /TEMPORAL_TLS/);
  });

  it('redacts secrets', () => {
    const config = loadConfig({ env: { DATABASE_URL: 'postgres://u:hunter2@db:5432/x', TEMPORAL_API_KEY: 'k-123' }, cwd: tmpdir() });
    const shown = JSON.stringify(redactConfig(config));
    assert.doesNotMatch(shown, /hunter2|k-123/);
  });

  it('docs/configuration.md and .env.example list every environment variable', () => {
    const docs = readFileSync(join(repositoryRoot(), 'docs', 'configuration.md'), 'utf8');
    const example = readFileSync(join(repositoryRoot(), '.env.example'), 'utf8');
    for (const binding of ENV_BINDINGS) {
      assert.ok(docs.includes(`\`${binding.env}\``), `docs/configuration.md lacks ${binding.env}`);
      assert.match(example, new RegExp(`^#? ?${binding.env}=`, 'm'), `.env.example lacks ${binding.env}`);
    }
  });
});
