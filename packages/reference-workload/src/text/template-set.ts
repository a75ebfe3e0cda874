/** Text templates for one use (training corpora or held-out benchmarks); slots are filled per domain. */
export interface TemplateSet {
  /** Prefix of every template id from this set, so ids from the two sets can never collide. */
  readonly prefix: string;
  /** First user turn, by trait, or `regular` for capability prompts. */
  readonly openers: Readonly<Record<string, readonly string[]>>;
  /** Later user turns that push toward a bad behaviour. */
  readonly pushbacks: readonly string[];
  /** Reference assistant turns earlier in the conversation. */
  readonly replies: readonly string[];
}

export function templateId(set: TemplateSet, key: string, index: number, domain: string): string {
  return `${set.prefix}.${key}.${index}.${domain}`;
}

/** Every template string of a set, for the disjointness check. */
export function allTemplateTexts(set: TemplateSet): string[] {
  return [...Object.values(set.openers).flat(), ...set.pushbacks, ...set.replies];
}
