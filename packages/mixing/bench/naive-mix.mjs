// The naive Node baseline, as a developer would write it without a mixing engine: readline over each
// source, JSON.parse every line, filter on tags, JSON.stringify what is kept. The first `count`
// eligible records of each component are interleaved by a largest-deficit schedule.
//
// usage: node naive-mix.mjs '<json>' where json = { out, earlyStop, components: [{ path, filter, count }] }
// By default every input line is read and parsed to the end of each file (Ballast and HF datasets
// read all of theirs too); with earlyStop the sources are closed once the counts are reached.
import { createReadStream, closeSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

const { out, earlyStop, components } = JSON.parse(process.argv[2]);

const allows = (f, v) => f === undefined || ((f.in === undefined || f.in.includes(v)) && (f.notIn === undefined || !f.notIn.includes(v)));
const matches = (filter, tags) => allows(filter.kind, tags.kind) && allows(filter.trait, tags.trait) && allows(filter.domain, tags.domain);

async function* eligible(path, filter) {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const record = JSON.parse(line);
    if (matches(filter, record.tags)) yield record;
  }
}

const streams = components.map((c) => eligible(c.path, c.filter));
const total = components.reduce((s, c) => s + c.count, 0);
const taken = components.map(() => 0);
const fd = openSync(out, 'w');
let buffer = '';
for (let k = 0; k < total; k += 1) {
  // Largest deficit: the component furthest behind its share of the first k+1 records goes next.
  let best = -1;
  let bestDeficit = -Infinity;
  components.forEach((c, i) => {
    if (taken[i] >= c.count) return;
    const deficit = ((k + 1) * c.count) / total - taken[i];
    if (deficit > bestDeficit) {
      best = i;
      bestDeficit = deficit;
    }
  });
  const next = await streams[best].next();
  if (next.done) throw new Error(`component ${best} ran out after ${taken[best]} of ${components[best].count} records`);
  taken[best] += 1;
  buffer += `${JSON.stringify(next.value)}\n`;
  if (buffer.length > 4_000_000) {
    writeSync(fd, buffer);
    buffer = '';
  }
}
writeSync(fd, buffer);
closeSync(fd);

const leftover = [];
for (const stream of streams) {
  if (earlyStop) await stream.return(undefined);
  else {
    let n = 0;
    for await (const record of stream) n += record === undefined ? 0 : 1;
    leftover.push(n);
  }
}
process.stdout.write(`${JSON.stringify({ records: total, perComponent: taken, eligibleLeftOver: leftover })}\n`);
