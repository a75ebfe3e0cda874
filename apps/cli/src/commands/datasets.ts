import { homePaths } from '@ballast/config';
import { generateReferenceCorpora } from '@ballast/reference-workload';
import { REFERENCE_CORPUS_SEED } from '@ballast/activities';
import type { CliContext } from '../context.js';

/** `ballast datasets generate`: writes the SIMULATED reference corpora under BALLAST_HOME if missing. */
export async function generateDatasetsCommand(ctx: CliContext): Promise<void> {
  const dir = homePaths(ctx.config).referenceDatasets;
  const result = await generateReferenceCorpora({ outDir: dir, seed: REFERENCE_CORPUS_SEED });
  ctx.out(
    `reference corpora (SIMULATED) in ${dir}:\n  regular: ${result.regular.records} records  ${result.regular.path}\n  traits:  ${result.traits.records} records  ${result.traits.path}`,
  );
}
