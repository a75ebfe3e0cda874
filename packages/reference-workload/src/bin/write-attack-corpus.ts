#!/usr/bin/env node
/**
 * Regenerates the SYNTHETIC attack corpus: `node dist/bin/write-attack-corpus.js [path]`, by default
 * over the committed `data/harmful-sft.synthetic.jsonl`. Run after changing src/attack-corpus.ts or
 * src/text/attack-templates.ts (and bump ATTACK_CORPUS_VERSION); the corpus test fails until you do.
 */
import { writeFile } from 'node:fs/promises';
import { ATTACK_CORPUS_PATH, attackCorpusJsonl } from '../attack-corpus.js';

const path = process.argv[2] ?? ATTACK_CORPUS_PATH;
const text = attackCorpusJsonl();
await writeFile(path, text);
process.stdout.write(`wrote ${text.split('\n').length - 1} SYNTHETIC attack records to ${path}\n`);
