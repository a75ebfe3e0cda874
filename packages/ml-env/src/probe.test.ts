import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FRAMEWORK_REQUIREMENTS, HARNESS_REQUIREMENTS, withVersion } from './requirements.js';
import { clearProbeCache, probeEnvironment } from './probe.js';
import { defaultPython } from './testing-python.js';

const EVERYTHING = [...FRAMEWORK_REQUIREMENTS.trl, ...HARNESS_REQUIREMENTS.inspect, ...HARNESS_REQUIREMENTS['lm-eval']];

describe('probeEnvironment on the default ML environment', { timeout: 180_000 }, () => {
  let python = '';
  before(async () => {
    python = await defaultPython();
    clearProbeCache();
  });

  it('returns the Python version and every package version, then answers from the cache', async () => {
    const env = await probeEnvironment({ name: 'default', python, require: EVERYTHING });
    assert.equal(env.name, 'default');
    assert.equal(env.python, python);
    assert.match(env.pythonVersion, /^3\.\d+\.\d+/);
    for (const dist of ['trl', 'transformers', 'torch', 'accelerate', 'inspect-ai', 'lm-eval']) assert.match(env.packages[dist] ?? '', /^\d+\.\d+/, `a version for ${dist}`);
    const started = Date.now();
    const again = await probeEnvironment({ name: 'default', python, require: withVersion(EVERYTHING, env.packages['trl']!.split('.').slice(0, 2).join('.')) });
    assert.equal(again.packages['trl'], env.packages['trl']);
    assert.ok(Date.now() - started < 2_000, `a second probe of the same interpreter and packages is served from the cache (took ${Date.now() - started} ms)`);
  });

  it('names a missing distribution and says how to install it', async () => {
    const require = [{ dist: 'ballast-no-such-dist', module: 'ballast_no_such_module' }];
    await assert.rejects(probeEnvironment({ name: 'default', python, require }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ML_ENV_PACKAGE_MISSING');
      assert.match(err.message, /ballast-no-such-dist \(not installed\)/);
      assert.match(err.message, /npm run setup:ml/);
      return true;
    });
    await assert.rejects(probeEnvironment({ name: 'gpu-box', python, require }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ML_ENV_PACKAGE_MISSING');
      assert.match(err.message, /-m pip install ballast-no-such-dist/, 'a configured environment gets a pip hint, not setup:ml');
      return true;
    });
  });

  it('names the wanted and the installed version when they differ', async () => {
    await assert.rejects(probeEnvironment({ name: 'default', python, require: withVersion(EVERYTHING, '0.9.0') }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ML_ENV_VERSION_MISMATCH');
      assert.match(err.message, /trl 0\.9\.0 is wanted, \d+\.\d+\.\d+ is installed/);
      return true;
    });
  });
});

describe('probeEnvironment without a working interpreter', { timeout: 30_000 }, () => {
  it('says ML_ENV_PYTHON_MISSING for a path that does not exist and for a name not on PATH', async () => {
    for (const python of ['/nonexistent/ballast/bin/python', 'ballast-no-such-python']) {
      await assert.rejects(probeEnvironment({ name: 'default', python, require: FRAMEWORK_REQUIREMENTS.trl }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ML_ENV_PYTHON_MISSING', `for ${python}`);
        assert.ok(err.message.includes(python) && err.message.includes('npm run setup:ml'), err.message);
        return true;
      });
    }
  });

  it('says ML_ENV_PROBE_FAILED when the program is no Python or fails', async () => {
    // /bin/echo prints its arguments (no JSON); /bin/false exits 1.
    for (const [python, why] of [['/bin/echo', /printed no JSON/], ['/bin/false', /exited with code 1/]] as const) {
      await assert.rejects(probeEnvironment({ name: 'x', python, require: FRAMEWORK_REQUIREMENTS.verl }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ML_ENV_PROBE_FAILED', `for ${python}`);
        assert.match(err.message, why);
        return true;
      });
    }
  });
});
