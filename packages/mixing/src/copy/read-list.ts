import { readSync } from 'node:fs';

/** Reads a thread claims at a time from a shared list. */
const CLAIM = 64;
const LF = 0x0a;
// Slots of `ReadList.state`.
const CLAIMED = 0;
const COUNT = 1;
const DONE = 2;
const ENDED = 3;

/**
 * The positioned reads that fill one block, in the order they are to be made, in shared memory so
 * that two threads can work through one list: one from the front and one from the back, each claiming
 * CLAIM reads at a time with an atomic add to the count claimed, so that they meet wherever the OS's
 * scheduling has them meet, and each touches pages the other does not. Each counts its reads done
 * when they are, so the owner knows when the block is complete. native/record-copy.c reads the same
 * layout: keep the two in step.
 */
export class ReadList {
  readonly offset: Float64Array;
  readonly length: Uint32Array;
  /** Where the record goes in the block. */
  readonly place: Uint32Array;
  readonly source: Uint8Array;
  /** [reads claimed, reads in the list, reads done, 1 + a source that ended early or 0]. */
  readonly state: Int32Array;
  /** The whole list as bytes (for the native copy, which reads the same layout). */
  readonly bytes: Uint8Array;

  constructor(
    readonly capacity: number,
    readonly memory: SharedArrayBuffer = new SharedArrayBuffer(ReadList.bytesFor(capacity)),
  ) {
    let at = 0;
    this.offset = new Float64Array(memory, at, capacity);
    at += capacity * 8;
    this.length = new Uint32Array(memory, at, capacity);
    at += capacity * 4;
    this.place = new Uint32Array(memory, at, capacity);
    at += capacity * 4;
    this.state = new Int32Array(memory, at, 4);
    at += 16;
    this.source = new Uint8Array(memory, at, capacity);
    this.bytes = new Uint8Array(memory, 0, ReadList.bytesFor(capacity));
  }

  static bytesFor(capacity: number): number {
    return capacity * 17 + 16;
  }

  /** Makes the first `count` entries the list to work through. */
  reset(count: number): void {
    Atomics.store(this.state, CLAIMED, 0);
    Atomics.store(this.state, COUNT, count);
    Atomics.store(this.state, DONE, 0);
    Atomics.store(this.state, ENDED, 0);
  }

  /** Whether every read in the list is done (by whichever thread claimed it). */
  get complete(): boolean {
    return Atomics.load(this.state, DONE) >= Atomics.load(this.state, COUNT);
  }

  /** The source whose file ended before one of its records did, or -1. */
  get endedEarly(): number {
    return Atomics.load(this.state, ENDED) - 1;
  }
}

/**
 * Works through `list` alongside the other thread on it, from the front or from the back: reads each
 * claimed record into `target` at its place and ends it with LF. A source whose file is shorter than
 * a record is noted in the list (see endedEarly) and its record left unread.
 */
export function readClaimed(list: ReadList, fdOf: (source: number) => number, target: Uint8Array, fromBack = false): void {
  const state = list.state;
  const count = Atomics.load(state, COUNT);
  const { offset, length, place, source } = list;
  // This thread's next read (from the front) or one past it (from the back).
  let position = fromBack ? count : 0;
  for (;;) {
    const before = Atomics.add(state, CLAIMED, CLAIM);
    const take = Math.min(CLAIM, count - before);
    if (take <= 0) return;
    const first = fromBack ? position - take : position;
    position = fromBack ? first : first + take;
    for (let k = first; k < first + take; k++) {
      const fd = fdOf(source[k]!);
      const at = place[k]!;
      const size = length[k]!;
      const from = offset[k]!;
      let done = 0;
      while (done < size) {
        const got = readSync(fd, target, at + done, size - done, from + done);
        if (got === 0) {
          Atomics.compareExchange(state, ENDED, 0, source[k]! + 1);
          break;
        }
        done += got;
      }
      target[at + size] = LF;
    }
    Atomics.add(state, DONE, take);
  }
}
