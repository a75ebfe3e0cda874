import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inlineHash } from '../outputs/index.js';
import { CopyWorker } from './copy-worker.js';

describe('copy worker hashes', () => {
  it('hash on the worker as on this thread, for shared and ordinary memory, with hashes interleaved (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(2), fc.uint8Array({ maxLength: 300 }), fc.boolean()), { maxLength: 30 }), async (parts) => {
        const worker = [CopyWorker.start().hash(), CopyWorker.start().hash(), CopyWorker.start().hash()];
        const inline = [inlineHash(), inlineHash(), inlineHash()];
        const expected = [createHash('sha256'), createHash('sha256'), createHash('sha256')];
        const pending: Promise<void>[] = [];
        for (const [which, bytes, shared] of parts) {
          let data: Uint8Array = bytes;
          if (shared) {
            data = new Uint8Array(new SharedArrayBuffer(bytes.length + 8), 4, bytes.length);
            data.set(bytes);
          }
          const update = worker[which]!.update(data);
          if (update !== undefined) pending.push(update);
          assert.equal(inline[which]!.update(data), undefined);
          expected[which]!.update(bytes);
        }
        await Promise.all(pending);
        for (let i = 0; i < 3; i++) {
          const want = expected[i]!.digest('hex');
          assert.equal(await worker[i]!.digest(), want);
          assert.equal(await inline[i]!.digest(), want);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('a finished hash refuses more bytes; a discarded one lets the others go on', async () => {
    const kept = CopyWorker.start().hash();
    const dropped = CopyWorker.start().hash();
    await kept.update(Buffer.from('abc'));
    await dropped.update(Buffer.from('xyz'));
    dropped.discard();
    assert.equal(await kept.digest(), createHash('sha256').update('abc').digest('hex'));
    await assert.rejects(async () => kept.update(Buffer.from('more')));
  });
});
