import type { ComputeMatch } from '@ballast/schema';
import type { RunResults } from './input.js';

/** Tokens within this relative difference count as matched. */
export const TOKEN_TOLERANCE = 0.05;

function armCompute(arm: string, runs: readonly RunResults[]) {
  const first = runs[0];
  const tokens = runs.every((r) => r.compute.tokensSeen !== null) ? runs.reduce((s, r) => s + (r.compute.tokensSeen ?? 0), 0) / Math.max(runs.length, 1) : null;
  return { arm, steps: first?.compute.steps ?? 0, recordsSeen: first?.compute.recordsSeen ?? 0, tokensSeen: tokens === null ? null : Math.round(tokens) };
}

/**
 * Whether two arms had the same compute: every run the same steps and records, and the mean tokens per
 * run within 5%. Trait conversations are longer than regular ones, so a records-matched arm can train
 * on more tokens; the report says so rather than calling it matched.
 */
export function computeMatch(treatment: string, t: readonly RunResults[], control: string, c: readonly RunResults[]): ComputeMatch {
  const tc = armCompute(treatment, t);
  const cc = armCompute(control, c);
  const all = [...t, ...c];
  const matched = all.every((r) => r.compute.steps === tc.steps && r.compute.recordsSeen === tc.recordsSeen);
  const tokenRatio = tc.tokensSeen !== null && cc.tokensSeen !== null && cc.tokensSeen > 0 ? tc.tokensSeen / cc.tokensSeen : null;
  const tokensMatched = tokenRatio === null ? null : Math.abs(tokenRatio - 1) <= TOKEN_TOLERANCE;
  const describe = (a: typeof tc) => `${a.arm} ${a.steps} steps / ${a.recordsSeen} records${a.tokensSeen === null ? '' : ` / ${a.tokensSeen} tokens`}`;
  const tokens =
    tokenRatio === null
      ? 'tokens not reported'
      : `${tokensMatched ? 'tokens within 5%' : 'NOT token-matched'}: ${treatment} trained on ${tokenRatio.toFixed(3)}× the tokens of ${control}`;
  const note = matched
    ? `compute-matched on steps and records: every run ${tc.steps} steps over ${tc.recordsSeen} records; ${tokens}`
    : `NOT compute-matched (${describe(tc)}, ${describe(cc)}): differences may reflect compute, not data; ${tokens}`;
  return { matched, tokensMatched, tokenRatio, treatment: tc, control: cc, note };
}
