import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, LineTail } from './lines.js';

describe('LineSplitter', { timeout: 5_000 }, () => {
  it('cuts chunks into lines, across chunk and UTF-8 boundaries, keeping a last unfinished line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from("{'a': '1'}\nré\nsum", 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of 'é'
    splitter.push(bytes.subarray(0, 4));
    splitter.push(bytes.subarray(4, cut));
    splitter.push(bytes.subarray(cut));
    assert.deepEqual(lines, ["{'a': '1'}", 'ré']);
    splitter.end();
    assert.deepEqual(lines, ["{'a': '1'}", 'ré', 'sum']);
  });
});

describe('LineTail', { timeout: 5_000 }, () => {
  it('keeps the last lines, each as its final progress-bar redraw, blank ones left out', () => {
    const tail = new LineTail(3);
    tail.push(Buffer.from('one\n\n 10%|#\r 50%|#####\r100%|##########\r\ntwo\nthree\nfour'));
    assert.deepEqual(tail.lines(), ['two', 'three', 'four']);
    const bars = new LineTail(5);
    bars.push(Buffer.from(' 10%|#\r 50%|#####\r100%|##########\r\nTraceback: boom\n'));
    assert.deepEqual(bars.lines(), ['100%|##########', 'Traceback: boom']);
  });

  it('cuts very long lines', () => {
    const tail = new LineTail(1);
    tail.push(Buffer.from(`${'x'.repeat(5000)}\n`));
    assert.equal(tail.lines()[0]!.length, 1001);
  });
});
