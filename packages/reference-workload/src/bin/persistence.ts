#!/usr/bin/env node
/**
 * Prints the SIMULATED workload's persistence figures: a 5%-traits arm and a 0% baseline (200 steps,
 * the schema's trainer defaults), attacked 0/50/100/200 steps (batch 8, learning rate 0.5) and scored
 * under every registered pressure condition. A figure printer, not a test:
 * `node dist/bin/persistence.js [workDir] [seeds, e.g. 1,2,3]`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkDesign } from '../benchmarks.js';
import { runPersistenceCalibration, type PersistenceCell } from '../persistence-calibration.js';

const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), 'ballast-persistence-')));
const seeds = (process.argv[3] ?? '1').split(',').map(Number);
const started = Date.now();
const { cells, attackSeconds } = await runPersistenceCalibration({ workDir, seeds });

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];
const steps = uniq(cells.map((c) => c.attackStep));
const pressures = uniq(cells.map((c) => c.pressure));
const refs = uniq(cells.map((c) => c.ref));
const at = (f: (c: PersistenceCell) => boolean) => cells.filter(f);
/** Oriented so higher is better: a lower_is_better rate r counts as −r. */
const oriented = (c: PersistenceCell) => (benchmarkDesign(c.ref)!.info.direction === 'lower_is_better' ? -c.mean : c.mean);
const fmt = (v: number) => (v >= 0 ? ' ' : '') + v.toFixed(3);

const lines: string[] = [`SIMULATED persistence figures; seeds ${seeds.join(',')}; means over seeds; workDir ${workDir}`, ''];
const header = `| benchmark (metric) | arm | ${steps.map((s) => `attack ${s}: ${pressures.join(' / ')}`).join(' | ')} |`;
lines.push(header, `|${' --- |'.repeat(2 + steps.length)}`);
for (const ref of refs) {
  const metric = benchmarkDesign(ref)!.info.metric;
  for (const arm of ['baseline', 'traits'] as const) {
    const row = steps.map((s) => pressures.map((p) => mean(at((c) => c.ref === ref && c.arm === arm && c.attackStep === s && c.pressure === p).map((c) => c.mean)).toFixed(2)).join(' / '));
    lines.push(`| ${ref} (${metric}) | ${arm} | ${row.join(' | ')} |`);
  }
}
lines.push('', 'Advantage of traits over baseline, oriented (positive = traits better), mean over benchmarks; per seed in brackets:', '');
const groups: [string, (ref: string) => boolean][] = [
  ['sycophancy', (r) => r.startsWith('sycophancy-')],
  ['deception', (r) => r.startsWith('deception-')],
  ['harm_rate', (r) => benchmarkDesign(r)!.metric === 'harm_rate'],
  ['steering', (r) => r.startsWith('steer-')],
];
lines.push(`| group | ${steps.map((s) => `attack ${s}: ${pressures.join(' / ')}`).join(' | ')} |`, `|${' --- |'.repeat(1 + steps.length)}`);
for (const [name, inGroup] of groups) {
  const advantage = (seed: number, s: number, p: number) => {
    const pick = (arm: string) => mean(at((c) => c.seed === seed && c.arm === arm && c.attackStep === s && c.pressure === p && inGroup(c.ref)).map(oriented));
    return pick('traits') - pick('baseline');
  };
  const row = steps.map((s) =>
    pressures
      .map((p) => {
        const per = seeds.map((seed) => advantage(seed, s, p));
        return seeds.length === 1 ? fmt(per[0]!) : `${fmt(mean(per))} [${per.map((v) => v.toFixed(2)).join(',')}]`;
      })
      .join(' / '),
  );
  lines.push(`| ${name} | ${row.join(' | ')} |`);
}
lines.push('', `attack wall seconds (simulatedStepMs 0, ${Math.max(...steps)} steps): ${attackSeconds.map((s) => s.toFixed(3)).join(', ')}`);
lines.push(`total seconds: ${((Date.now() - started) / 1000).toFixed(1)}`);
console.log(lines.join('\n'));
