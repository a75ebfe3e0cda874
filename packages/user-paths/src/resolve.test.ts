import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { resolveUserPath, USER_PATH_ERROR_CODES, type UserPathErrorCode } from './index.js';

const FIELD = 'spec.datasets.traits.uri';

describe('resolveUserPath', { timeout: 30_000 }, () => {
  let base: string;
  let root: string;
  let outside: string;
  let socketServer: Server;

  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'ballast-user-paths-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'shards'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(root, 'data.jsonl'), '{"id":"1"}\n');
    writeFileSync(join(root, 'shards', 'part-0.jsonl'), '{"id":"1"}\n');
    writeFileSync(join(root, 'shards', 'part-1.jsonl'), '{"id":"2"}\n');
    writeFileSync(join(outside, 'secret.txt'), 'not for users\n');
    symlinkSync(join(root, 'data.jsonl'), join(root, 'link-inside.jsonl'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link-outside.jsonl'));
    execFileSync('mkfifo', [join(root, 'fifo.jsonl')]);
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(join(root, 'socket.jsonl'), resolve));
  });

  after(async () => {
    await new Promise<void>((resolve) => socketServer.close(() => resolve()));
    rmSync(base, { recursive: true, force: true });
  });

  const resolveIn = (given: string, roots = [root], expect: 'file' | 'directory' = 'file') =>
    resolveUserPath(given, { field: FIELD, roots, rootsSetting: 'datasets.allowedRoots', expect });

  function refused(given: string, code: UserPathErrorCode, roots = [root], expect: 'file' | 'directory' = 'file'): void {
    assert.throws(
      () => resolveIn(given, roots, expect),
      (error: unknown) => {
        const e = error as { code?: string; field?: string; message: string };
        assert.equal(e.code, code, `${JSON.stringify(given)}: expected ${code}, got ${e.code}: ${e.message}`);
        assert.equal(e.field, FIELD);
        assert.ok(e.message.startsWith(`${FIELD}: `), `the message names the field: ${e.message}`);
        assert.ok(!e.message.includes('not for users') && !e.message.includes('root:'), `no file contents in: ${e.message}`);
        return true;
      },
      `${JSON.stringify(given)} was accepted`,
    );
  }

  it('refuses files outside the roots: /etc/shadow, /etc/passwd via ..', () => {
    refused('/etc/shadow', USER_PATH_ERROR_CODES.outsideRoots);
    refused('file:///etc/shadow', USER_PATH_ERROR_CODES.outsideRoots);
    refused('file:///tmp/../../../../etc/passwd', USER_PATH_ERROR_CODES.outsideRoots);
  });

  it('refuses a .. escape out of a root', () => {
    refused(join(root, '..', 'outside', 'secret.txt'), USER_PATH_ERROR_CODES.outsideRoots);
    refused(`${pathToFileURL(root).href}/../outside/secret.txt`, USER_PATH_ERROR_CODES.outsideRoots);
  });

  it('compares roots by path segment, not by string prefix', () => {
    const sibling = `${root}2`;
    mkdirSync(sibling, { recursive: true });
    writeFileSync(join(sibling, 'x.jsonl'), '{}\n');
    refused(join(sibling, 'x.jsonl'), USER_PATH_ERROR_CODES.outsideRoots);
  });

  it('refuses /proc, /sys and devices, even when a root is /', () => {
    refused('/proc/self/environ', USER_PATH_ERROR_CODES.outsideRoots);
    refused('/dev/zero', USER_PATH_ERROR_CODES.outsideRoots);
    refused('/proc/self/environ', USER_PATH_ERROR_CODES.notRegularFile, ['/']);
    refused('/sys/kernel/mm/transparent_hugepage/enabled', USER_PATH_ERROR_CODES.notRegularFile, ['/']);
    refused('/dev/zero', USER_PATH_ERROR_CODES.notRegularFile, ['/']);
  });

  it('refuses a FIFO, a socket and a directory inside the root without blocking', () => {
    refused(join(root, 'fifo.jsonl'), USER_PATH_ERROR_CODES.notRegularFile);
    refused(join(root, 'socket.jsonl'), USER_PATH_ERROR_CODES.notRegularFile);
    refused(join(root, 'shards'), USER_PATH_ERROR_CODES.notRegularFile);
    refused(root, USER_PATH_ERROR_CODES.notRegularFile);
  });

  it('refuses a symlink inside a root that points outside it', () => {
    refused(join(root, 'link-outside.jsonl'), USER_PATH_ERROR_CODES.outsideRoots);
  });

  it('refuses NUL bytes, relative paths and other schemes as invalid', () => {
    refused(`${join(root, 'data.jsonl')}\0.txt`, USER_PATH_ERROR_CODES.invalid);
    refused(`${pathToFileURL(join(root, 'data.jsonl')).href}%00`, USER_PATH_ERROR_CODES.invalid);
    refused('data.jsonl', USER_PATH_ERROR_CODES.invalid);
    refused('./root/data.jsonl', USER_PATH_ERROR_CODES.invalid);
    refused('', USER_PATH_ERROR_CODES.invalid);
    refused('http://example.com/data.jsonl', USER_PATH_ERROR_CODES.invalid);
    refused('file://host/etc/passwd', USER_PATH_ERROR_CODES.invalid);
  });

  it('escapes control characters of the name in the message', () => {
    assert.throws(
      () => resolveIn(`${root}/\u001b]0;x\u0007\0`),
      (e: Error) => !/[\u0000-\u001f]/.test(e.message) && e.message.includes('\\u001b'),
    );
  });

  it('says not found only for names inside the roots, so it cannot probe the host', () => {
    refused(join(root, 'missing.jsonl'), USER_PATH_ERROR_CODES.notFound);
    refused('/etc/no-such-file-here', USER_PATH_ERROR_CODES.outsideRoots);
  });

  it('accepts a regular file inside the root, as a path and as a file URI', () => {
    const expected = { kind: 'file', path: join(root, 'data.jsonl'), bytes: 11 };
    assert.deepEqual(resolveIn(join(root, 'data.jsonl')), expected);
    assert.deepEqual(resolveIn(pathToFileURL(join(root, 'data.jsonl')).href), expected);
  });

  it('accepts a symlink inside the root to a file inside the root, resolved to its target', () => {
    assert.deepEqual(resolveIn(join(root, 'link-inside.jsonl')), { kind: 'file', path: join(root, 'data.jsonl'), bytes: 11 });
  });

  it('accepts a symlinked root (the root is resolved too)', () => {
    const linkedRoot = join(base, 'linked-root');
    symlinkSync(root, linkedRoot);
    assert.equal(resolveIn(join(linkedRoot, 'data.jsonl'), [linkedRoot]).path, join(root, 'data.jsonl'));
  });

  it('lists the shard files of a declared directory, each checked', () => {
    const resolved = resolveIn(join(root, 'shards'), [root], 'directory');
    assert.equal(resolved.kind, 'directory');
    assert.deepEqual(
      resolved.kind === 'directory' ? resolved.shards.map((s) => s.path) : [],
      [join(root, 'shards', 'part-0.jsonl'), join(root, 'shards', 'part-1.jsonl')],
    );
    refused(join(root, 'data.jsonl'), USER_PATH_ERROR_CODES.notRegularFile, [root], 'directory');
  });

  it('refuses a declared directory whose shards escape the roots or are not regular files', () => {
    const bad = join(root, 'bad-shards');
    mkdirSync(bad);
    writeFileSync(join(bad, 'part-0.jsonl'), '{}\n');
    symlinkSync(join(outside, 'secret.txt'), join(bad, 'part-1.jsonl'));
    refused(bad, USER_PATH_ERROR_CODES.outsideRoots, [root], 'directory');
    rmSync(join(bad, 'part-1.jsonl'));
    execFileSync('mkfifo', [join(bad, 'part-1.jsonl')]);
    refused(bad, USER_PATH_ERROR_CODES.notRegularFile, [root], 'directory');
  });
});

describe('resolveUserPath with a root that does not exist yet', { timeout: 10_000 }, () => {
  it('reports a name below it as not found, and still refuses names elsewhere', () => {
    const missingRoot = join(tmpdir(), `ballast-no-such-root-${process.pid}`);
    const options = { field: FIELD, roots: [missingRoot], rootsSetting: 'datasets.allowedRoots' };
    assert.throws(() => resolveUserPath(join(missingRoot, 'x.jsonl'), options), { code: USER_PATH_ERROR_CODES.notFound });
    assert.throws(() => resolveUserPath('/etc/passwd', options), { code: USER_PATH_ERROR_CODES.outsideRoots });
  });
});
