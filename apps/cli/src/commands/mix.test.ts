import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { CliContext } from '../context.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { mixBuildCommand, mixPreviewCommand, mixShowCommand } from './mix.js';

const dir = mkdtempSync(join(tmpdir(), 'ballast-cli-mix-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const specFile = join(dir, 'mix.yaml');
writeFileSync(
  specFile,
  `apiVersion: ballast.dev/v1alpha1
kind: Mix
metadata: { name: m }
spec:
  datasets: { d: { uri: 'file:///data/d.jsonl' } }
  mix: { totalRecords: 10, components: [{ dataset: d, count: 10 }] }
`,
);

/**
 * A fake API client (named as such: these tests check what the command does with answers and with
 * Ctrl-C; the real API is exercised by the integration tests).
 */
function fakeContext(mixes: Record<string, unknown>): { ctx: CliContext; lines: string[] } {
  const lines: string[] = [];
  const ctx = { client: { mixes }, apiUrl: 'http://127.0.0.1:1', out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) } as unknown as CliContext;
  return { ctx, lines };
}

/** Emits SIGINT to this process's listeners once `ready` resolves (the command has subscribed by then). */
async function ctrlCWhen(ready: Promise<void>): Promise<void> {
  await ready;
  process.emit('SIGINT');
}

const preview = {
  mixId: 'mix_0123',
  records: 10,
  components: [{ name: 'd', dataset: 'd', requested: 10, eligible: 12, lostToEarlier: 0, shortBy: 0, upsampled: 0 }],
  duplicatesRemoved: 0,
  sources: [{ dataset: 'd', records: 12, malformed: 2, quarantine: '/home/b/artifacts/sources/abc/quarantine.jsonl' }],
  recordsChecked: 10,
  estimatedBytes: 1000,
  coverage: { byTraitDomain: { 'hon\x1b[2Jesty': { law: 10 } }, warnings: [] },
  warnings: ['dataset value \x1b]0;pwned\x07'],
  error: null,
};

describe('ballast mix', { timeout: 10_000 }, () => {
  test('preview shows quarantined counts and the quarantine path, and escapes what came from data', async () => {
    const { ctx, lines } = fakeContext({ preview: { mutate: () => Promise.resolve(preview) } });
    await mixPreviewCommand(ctx, specFile);
    const text = lines.join('\n');
    assert.match(text, /source d: 12 records, 2 malformed line\(s\) quarantined, quarantined lines in \/home\/b\/artifacts\/sources\/abc\/quarantine\.jsonl/);
    assert.doesNotMatch(text, /\x1b|\x07/);
    assert.match(text, /hon\\x1b\[2Jesty/);
  });

  test('a preview that cannot be built exits 2', async () => {
    const { ctx } = fakeContext({ preview: { mutate: () => Promise.resolve({ ...preview, error: "record 'r2' cannot be written as verl" }) } });
    await assert.rejects(mixPreviewCommand(ctx, specFile), (err: unknown) => err instanceof CliExit && err.exitCode === EXIT.invalid);
  });

  test('Ctrl-C during a preview aborts its request (which cancels the workflow) and exits 1', async () => {
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    let aborted = false;
    const { ctx } = fakeContext({
      preview: {
        mutate: (_input: unknown, opts: { signal: AbortSignal }) =>
          new Promise((_resolve, reject) => {
            opts.signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('This operation was aborted'));
            });
            subscribed();
          }),
      },
    });
    const run = mixPreviewCommand(ctx, specFile);
    await ctrlCWhen(ready);
    await assert.rejects(run, (err: unknown) => err instanceof CliExit && err.exitCode === EXIT.failed && /cancelled/.test(err.message));
    assert.ok(aborted, 'the preview request was not aborted');
    assert.equal(process.listenerCount('SIGINT'), 0, 'the command left its SIGINT handler installed');
  });

  test('Ctrl-C during a build asks the API to cancel it and waits for CANCELLED', async () => {
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    let cancelled = false;
    const status = (state: string) => ({ buildId: 'mixb_0123456789', name: 'm', state, phase: 'write', done: 1, total: 10, bytes: 0, mixId: null, cacheHit: false, error: null, errorKind: null, manifestUri: null });
    const { ctx } = fakeContext({
      build: { mutate: () => Promise.resolve(status('RUNNING')) },
      status: {
        query: () => {
          subscribed();
          return Promise.resolve(status(cancelled ? 'CANCELLED' : 'RUNNING'));
        },
      },
      cancel: {
        mutate: () => {
          cancelled = true;
          return Promise.resolve(status('RUNNING'));
        },
      },
    });
    const run = mixBuildCommand(ctx, specFile);
    await ctrlCWhen(ready);
    await assert.rejects(run, (err: unknown) => err instanceof CliExit && err.exitCode === EXIT.failed && /CANCELLED/.test(err.message));
    assert.ok(cancelled, 'the build was not cancelled through the API');
  });

  test('a build that failed on its input exits 2; one that failed otherwise exits 1', async () => {
    for (const [errorKind, exitCode] of [['input', EXIT.invalid], ['internal', EXIT.failed]] as const) {
      const failed = { buildId: 'mixb_0123456789', name: 'm', state: 'FAILED', phase: 'scan', done: 0, total: 10, bytes: 0, mixId: null, cacheHit: null, error: "dataset 'regular': 40% of lines malformed\x1b[2J", errorKind, manifestUri: null };
      const { ctx } = fakeContext({ build: { mutate: () => Promise.resolve(failed) }, status: { query: () => Promise.resolve(failed) } });
      await assert.rejects(
        mixBuildCommand(ctx, specFile),
        (err: unknown) => err instanceof CliExit && err.exitCode === exitCode && !err.message.includes('\x1b'),
        `errorKind ${errorKind} should exit ${exitCode}`,
      );
    }
  });

  test('show prints each source quarantine path', async () => {
    const manifest = {
      mixId: 'mix_0123',
      records: 10,
      mixerVersion: 3,
      sources: [{ dataset: 'd', records: 12, sha256: 'a'.repeat(64), malformed: 2, quarantine: '/q/quarantine.jsonl', duplicatesRemoved: 0 }],
      components: [],
      outputs: [],
      spread: { window: 10, maxDeviation: 0 },
      warnings: [],
    };
    const { ctx, lines } = fakeContext({ show: { query: () => Promise.resolve({ mixId: 'mix_0123', manifestUri: 'file:///m', dataUri: 'file:///d', manifest }) } });
    await mixShowCommand(ctx, 'mix_0123', false);
    assert.match(lines.join('\n'), /source d: 12 records, .*2 malformed, quarantine \/q\/quarantine\.jsonl/);
  });
});
