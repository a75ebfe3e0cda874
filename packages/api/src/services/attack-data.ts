import { SftAttackRecord } from '@ballast/frameworks';
import { AttackRecord } from '@ballast/reference-workload';
import { parseJsonlRecords, type FieldIssue, type TrainerFramework } from '@ballast/schema';
import { readUserFilePrefix } from '@ballast/user-paths';
import type { ApiContext } from '../context.js';

/**
 * How much of an attack file a launch reads to check its records. Attack data is small (hundreds to
 * thousands of conversations); past this the rest is checked when the attack job reads it.
 */
export const ATTACK_CHECK_BYTES = 32 * 1024 * 1024;

/** What the check reads of a parsed spec's `spec`. */
export interface AttackDataSpec {
  readonly trainer: { readonly framework: TrainerFramework };
  readonly datasets: Readonly<Record<string, { readonly uri: string }>>;
  readonly persistence?: { readonly attacks: readonly { readonly dataset: string }[] } | undefined;
}

/**
 * The records of each attack's `file://` dataset, checked at launch against what the attack job will
 * read (the SIMULATED reference attack's AttackRecord, or TRL SFT's conversation), so a bad line is
 * reported before hours of training rather than after. Issues sit at the dataset's `uri` and name the
 * line and field. The shipped `reference://attack` corpus is not read (its own tests check it); a URI
 * the workers cannot read is reported by the dataset check, not here.
 */
export async function attackDataIssues(ctx: Pick<ApiContext, 'datasetPath'>, spec: AttackDataSpec, maxBytes = ATTACK_CHECK_BYTES): Promise<FieldIssue[]> {
  const record = spec.trainer.framework === 'reference' ? AttackRecord : SftAttackRecord;
  const names = [...new Set((spec.persistence?.attacks ?? []).map((a) => a.dataset))];
  const issues = await Promise.all(
    names.map(async (name) => {
      const uri = spec.datasets[name]?.uri;
      const path = uri?.startsWith('file://') ? ctx.datasetPath(uri) : null;
      if (path === null) return [];
      const field = `spec.spec.datasets.${name}.uri`;
      let read: { text: string; truncated: boolean };
      try {
        read = await readUserFilePrefix(path, maxBytes);
      } catch {
        return [{ path: field, message: 'attack data cannot be read by the API server' }];
      }
      const { text, truncated } = read;
      const parsed = parseJsonlRecords(truncated ? text.slice(0, text.lastIndexOf('\n') + 1) : text, record);
      const found = parsed.issues.map((i) => ({ path: field, message: `attack data ${i.path}: ${i.message}` }));
      // A file cut at maxBytes may hold its records past the cut; the attack job checks the rest.
      if (!truncated && parsed.badLines === 0 && parsed.records.length === 0) found.push({ path: field, message: 'attack data holds no attack records' });
      return found;
    }),
  );
  return issues.flat();
}
