import { homePaths, terminalText as t } from '@ballast/config';
import { generateReferenceCorpora, REFERENCE_CORPUS_SEED } from '@ballast/reference-workload';
import type { CliContext } from '../context.js';

/** `ballast datasets generate`: writes the SIMULATED reference corpora under BALLAST_HOME if missing. */
export async function generateDatasetsCommand(ctx: CliContext): Promise<void> {
  const dir = homePaths(ctx.config).referenceDatasets;
  const result = await generateReferenceCorpora({ outDir: dir, seed: REFERENCE_CORPUS_SEED });
  ctx.out(
    `reference corpora (SIMULATED) in ${t(dir)}:\n  regular: ${result.regular.records} records  ${t(result.regular.path)}\n  traits:  ${result.traits.records} records  ${t(result.traits.path)}`,
  );
}
