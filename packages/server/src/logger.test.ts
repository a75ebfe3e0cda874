import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from './logger.js';

const HOSTILE = '\x1b[31mred\x1b]0;pwned\x07\u009b2J\x7f\r\nFAKE ENTRY\u202e';

describe('server log lines', { timeout: 10_000 }, () => {
  test('quoted data cannot colour, retitle or split a log line', () => {
    const lines: string[] = [];
    const log = createLogger({ log: { level: 'debug' } }, (line) => lines.push(line));
    log('warn', `source line: ${HOSTILE}`, { launchedBy: HOSTILE, nested: { detail: HOSTILE } });
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202e]/, `raw control or bidi character in ${JSON.stringify(line)}`);
    assert.ok(line.includes('source line: \\x1b[31mred\\x1b]0;pwned\\x07\\x9b2J\\x7f\\r\\nFAKE ENTRY\\u202e'), line);
    assert.ok(line.includes('"launchedBy":"\\u001b[31mred\\u001b]0;pwned\\u0007\\x9b2J\\x7f\\r\\nFAKE ENTRY\\u202e"'), line);
  });

  test('secrets in known fields stay redacted', () => {
    const lines: string[] = [];
    createLogger({ log: { level: 'info' } }, (line) => lines.push(line))('info', 'db', { databaseUrl: 'postgres://u:secret@h/db' });
    assert.match(lines[0]!, /postgres:\/\/u:\*\*\*@h\/db/);
  });
});
