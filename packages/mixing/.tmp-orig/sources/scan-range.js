import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { ROW_BYTES, writeRow } from './index-file.js';
import { RecordScanner } from './record-scanner.js';
import { Field } from './tag-schema.js';
export const READ_CHUNK = 16 << 20;
const LF = 0x0a;
const CR = 0x0d;
class TagDictionary {
    values = [];
    counts = [];
    codes = new Map();
    code(value) {
        let code = this.codes.get(value);
        if (code === undefined) {
            code = this.values.length;
            this.codes.set(value, code);
            this.values.push(value);
            this.counts.push(0);
        }
        this.counts[code] += 1;
        return code;
    }
}
/** Scans one byte range of a canonical JSONL file, writing index rows and quarantine lines to part files. */
export function scanRange(task, onChunk) {
    const scanner = new RecordScanner(task.tagSchema);
    const kinds = new TagDictionary();
    const traits = new TagDictionary();
    const domains = new TagDictionary();
    const fd = openSync(task.dataPath, 'r');
    const indexFd = openSync(task.indexPart, 'w');
    const quarantineFd = openSync(task.quarantinePart, 'w');
    let buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(task.end - task.start, 1)));
    let rows = Buffer.allocUnsafe(1 << 20);
    let rowBytes = 0;
    let lines = 0;
    let records = 0;
    let malformed = 0;
    let quarantine = [];
    const tag = (field, b) => {
        const s = scanner.spanStart[field];
        const e = scanner.spanEnd[field];
        const raw = b.toString('utf8', s + 1, e - 1);
        return raw.includes('\\') ? JSON.parse(b.toString('utf8', s, e)) : raw;
    };
    const line = (b, s, e, fileOffset, utf8Checked) => {
        lines += 1;
        if (fileOffset === 0 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
            s += 3;
            fileOffset += 3;
        }
        if (e > s && b[e - 1] === CR)
            e -= 1;
        let verdict;
        if (!utf8Checked && !isUtf8(b.subarray(s, e))) {
            verdict = 'malformed';
            scanner.reason = 'not valid UTF-8';
        }
        else
            verdict = scanner.scan(b, s, e);
        if (verdict === 'blank')
            return;
        if (verdict === 'malformed') {
            malformed += 1;
            const text = [...b.toString('utf8', s, Math.min(e, s + 800))].slice(0, 200).join('');
            quarantine.push(JSON.stringify({ line: lines, reason: scanner.reason, text }));
            return;
        }
        records += 1;
        const traitStart = scanner.spanStart[Field.trait];
        const trait = b[traitStart] === 0x6e ? traits.code(null) : traits.code(tag(Field.trait, b));
        const kind = kinds.code(tag(Field.kind, b));
        const domain = domains.code(tag(Field.domain, b));
        if (rowBytes + ROW_BYTES > rows.length) {
            const grown = Buffer.allocUnsafe(rows.length * 2);
            rows.copy(grown, 0, 0, rowBytes);
            rows = grown;
        }
        writeRow(rows, rowBytes, fileOffset, e - s, scanner.hashHi, scanner.hashLo, kind, trait, domain);
        rowBytes += ROW_BYTES;
    };
    const flush = () => {
        if (rowBytes > 0)
            writeAll(indexFd, rows.subarray(0, rowBytes));
        rowBytes = 0;
        if (quarantine.length > 0)
            writeAll(quarantineFd, Buffer.from(quarantine.join('\n') + '\n'));
        quarantine = [];
    };
    try {
        let bufBase = task.start; // file offset of buf[0]
        let filled = 0;
        let filePos = task.start;
        for (;;) {
            if (filled === buf.length) {
                // One line longer than the buffer: grow it rather than assume lines are short.
                const grown = Buffer.allocUnsafe(buf.length * 2);
                buf.copy(grown, 0, 0, filled);
                buf = grown;
            }
            const want = Math.min(buf.length - filled, task.end - filePos);
            const n = want > 0 ? readSync(fd, buf, filled, want, filePos) : 0;
            filePos += n;
            filled += n;
            const atEnd = filePos >= task.end || n === 0;
            const lastLf = buf.lastIndexOf(LF, filled - 1);
            const complete = atEnd ? filled : lastLf + 1;
            if (complete > 0) {
                // Complete lines never split a UTF-8 sequence, so one check covers them all in the common case.
                const checked = isUtf8(buf.subarray(0, complete));
                let s = 0;
                while (s < complete) {
                    let nl = buf.indexOf(LF, s);
                    if (nl === -1 || nl >= complete)
                        nl = complete;
                    line(buf, s, nl, bufBase + s, checked);
                    s = nl + 1;
                }
                buf.copy(buf, 0, complete, filled);
                bufBase += complete;
                filled -= complete;
                flush();
                onChunk?.(filePos - task.start, records);
            }
            if (atEnd)
                break;
        }
    }
    finally {
        closeSync(fd);
        closeSync(indexFd);
        closeSync(quarantineFd);
    }
    return {
        lines,
        records,
        malformed,
        dict: { kind: kinds.values, trait: traits.values, domain: domains.values },
        counts: { kind: kinds.counts, trait: traits.counts, domain: domains.counts },
    };
}
function writeAll(fd, data) {
    let at = 0;
    while (at < data.length)
        at += writeSync(fd, data, at, data.length - at);
}
//# sourceMappingURL=scan-range.js.map