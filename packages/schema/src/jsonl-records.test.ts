import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { parseJsonlRecords, REPORTED_BAD_LINES } from './jsonl-records.js';

const Row = z.object({ id: z.string().min(1), n: z.number().int() });

describe('parseJsonlRecords', { timeout: 10_000 }, () => {
  it('returns every record and skips blank lines (CRLF included)', () => {
    const got = parseJsonlRecords('{"id":"a","n":1}\r\n\n  \n{"id":"b","n":2,"extra":true}\n', Row);
    assert.deepEqual(got.records, [{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    assert.deepEqual(got.issues, []);
    assert.equal(got.badLines, 0);
  });

  it('names each bad line as an editor numbers it, with the field that is wrong', () => {
    const got = parseJsonlRecords('{"id":"a","n":1}\n\n{"id":"","n":1}\nnot json\n{"id":"c","n":1.5}\n"\u0000"\n', Row);
    assert.deepEqual(got.records, [{ id: 'a', n: 1 }]);
    assert.equal(got.badLines, 4);
    assert.deepEqual(got.issues.map((i) => i.path), ['line 3.id', 'line 4', 'line 5.n', 'line 6']);
    assert.equal(got.issues[1]?.message, 'is not JSON');
  });

  it(`names the first ${REPORTED_BAD_LINES} bad lines and counts the rest`, () => {
    const text = Array.from({ length: REPORTED_BAD_LINES + 5 }, () => '{}').join('\n');
    const got = parseJsonlRecords(text, Row);
    assert.equal(got.badLines, REPORTED_BAD_LINES + 5);
    const lines = new Set(got.issues.map((i) => i.path.split('.')[0]));
    assert.equal(lines.size, REPORTED_BAD_LINES + 1, `issues: ${JSON.stringify(got.issues)}`);
    assert.deepEqual(got.issues.at(-1), { path: '5 more lines', message: 'are not valid records either' });
  });
});
