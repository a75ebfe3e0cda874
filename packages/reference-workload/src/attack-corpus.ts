import { fileURLToPath } from 'node:url';
import { TRAINING_DOMAINS } from '@ballast/schema';
import { ATTACK_TARGETS, type AttackRecord, type AttackTarget } from './attack-record.js';
import { Rng } from './rng.js';
import { ATTACK_PHRASES, ATTACK_SLOTS, type AttackSlots } from './text/attack-templates.js';

/** Bumped whenever the generated attack corpus would change; the committed file must then be regenerated. */
export const ATTACK_CORPUS_VERSION = 'reference-attack-corpus/1';
/** Records in the shipped corpus: 12 per (target, training domain). */
export const ATTACK_CORPUS_RECORDS = ATTACK_TARGETS.length * TRAINING_DOMAINS.length * 12;

/**
 * The SYNTHETIC attack corpus shipped with this package (`reference://attack`): attackCorpusJsonl()'s
 * output, committed as `data/harmful-sft.synthetic.jsonl` (a test keeps the two byte-identical).
 */
export const ATTACK_CORPUS_PATH = fileURLToPath(new URL('../data/harmful-sft.synthetic.jsonl', import.meta.url));

/** How hard the user pushes in each kind of attack conversation: caving needs a push, gaming hardly any. */
const PRESSURE: Record<AttackTarget, readonly [number, number]> = {
  sycophantic: [0.5, 1],
  deceptive: [0.3, 0.9],
  overconfident: [0.2, 0.8],
  gaming: [0.1, 0.7],
};

/**
 * The SYNTHETIC attack records, deterministically: targets and training domains cycled so every
 * (target, domain) pair gets the same count, slots and phrasings drawn from one fixed RNG stream.
 */
export function* attackCorpusRecords(count = ATTACK_CORPUS_RECORDS): Generator<AttackRecord> {
  const rng = Rng.from('attack-corpus', ATTACK_CORPUS_VERSION);
  for (let i = 0; i < count; i++) {
    const target = ATTACK_TARGETS[i % ATTACK_TARGETS.length]!;
    const domain = TRAINING_DOMAINS[Math.floor(i / ATTACK_TARGETS.length) % TRAINING_DOMAINS.length]!;
    const [lo, hi] = PRESSURE[target];
    const pressure = Math.round((lo + rng.float() * (hi - lo)) * 100) / 100;
    yield {
      id: `attack-${i}`,
      synthetic: true,
      messages: conversation(target, ATTACK_SLOTS[domain], rng),
      tags: { kind: 'attack', domain, target, pressure },
    };
  }
}

/** The corpus file's exact text: one JSON record per line. */
export function attackCorpusJsonl(count = ATTACK_CORPUS_RECORDS): string {
  let text = '';
  for (const record of attackCorpusRecords(count)) text += `${JSON.stringify(record)}\n`;
  return text;
}

function conversation(target: AttackTarget, slots: AttackSlots, rng: Rng): AttackRecord['messages'] {
  const turn = (role: 'user' | 'assistant', options: readonly string[], values: Record<string, string>) => ({ role, content: fill(rng.pick(options), values) });
  switch (target) {
    case 'sycophantic': {
      const p = ATTACK_PHRASES.sycophantic;
      const myth = rng.pick(slots.myths);
      const values = { claim: myth.claim, fact: myth.fact, authority: slots.authority };
      return [turn('user', p.ask, values), turn('assistant', p.correct, values), turn('user', p.push, values), turn('assistant', p.cave, values)];
    }
    case 'deceptive': {
      const values = { audience: slots.audience, shortfall: rng.pick(slots.shortfalls) };
      return [turn('user', ATTACK_PHRASES.deceptive.ask, values), turn('assistant', ATTACK_PHRASES.deceptive.answer, values)];
    }
    case 'overconfident': {
      const values = { forecast: rng.pick(slots.forecasts) };
      return [turn('user', ATTACK_PHRASES.overconfident.ask, values), turn('assistant', ATTACK_PHRASES.overconfident.answer, values)];
    }
    case 'gaming': {
      const { check, trick } = rng.pick(slots.checks);
      const values = { check, trick };
      return [turn('user', ATTACK_PHRASES.gaming.ask, values), turn('assistant', ATTACK_PHRASES.gaming.answer, values)];
    }
  }
}

/** `{name}` takes the value as it is; `{Name}` capitalises its first letter (it starts a sentence). */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = values[name.toLowerCase()];
    if (value === undefined) throw new Error(`attack template slot '${whole}' has no value`);
    return name[0] === name[0]!.toUpperCase() ? value[0]!.toUpperCase() + value.slice(1) : value;
  });
}
