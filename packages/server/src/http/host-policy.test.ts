import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowedHostInvalidError, createHostPolicy, parseHostName } from './host-policy.js';

describe('host policy', { timeout: 10_000 }, () => {
  it('parses names, ports and IPv6 literals, and nothing with userinfo or a path', () => {
    assert.deepEqual(parseHostName('Lab.Example:7300'), { name: 'lab.example', port: 7300 });
    assert.deepEqual(parseHostName('[::1]'), { name: '[::1]', port: null });
    for (const bad of ['evil@127.0.0.1', '127.0.0.1/x', 'a b', 'host:0', 'host:70000', '']) {
      assert.equal(parseHostName(bad), null, `'${bad}' must not parse`);
    }
  });

  it('allows the bound address on any port, but never a wildcard bind address', () => {
    const v6 = createHostPolicy({ boundAddress: 'fd00::5', allowedHosts: [] });
    assert.equal(v6.allowsHost('[fd00::5]:7300'), true);
    const wildcard = createHostPolicy({ boundAddress: '0.0.0.0', allowedHosts: [] });
    assert.equal(wildcard.allowsHost('0.0.0.0:7300'), false);
    assert.equal(wildcard.allowsHost('127.0.0.1:7300'), true);
    assert.equal(wildcard.allowsHost(undefined), false, 'a request without Host is refused');
  });

  it('matches an Origin by its scheme default port when it names none', () => {
    const policy = createHostPolicy({ boundAddress: '127.0.0.1', allowedHosts: ['ui.example:443', 'plain.example:80'] });
    assert.equal(policy.allowsOrigin('https://ui.example'), true);
    assert.equal(policy.allowsOrigin('http://ui.example'), false);
    assert.equal(policy.allowsOrigin('http://plain.example'), true);
    assert.equal(policy.allowsOrigin('file://'), false);
    assert.equal(policy.allowsOrigin(undefined), true, 'no Origin: not a cross-site browser request');
  });

  it('refuses a malformed allowedHosts entry with a typed error naming the setting', () => {
    assert.throws(
      () => createHostPolicy({ boundAddress: '127.0.0.1', allowedHosts: ['http://lab.example/'] }),
      (error: unknown) => error instanceof AllowedHostInvalidError && error.code === 'API_ALLOWED_HOST_INVALID' && /BALLAST_API_ALLOWED_HOSTS/.test(error.message),
    );
  });
});
