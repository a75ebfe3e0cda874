/**
 * What the SIMULATED policy can do in a turn. A real model writes text; this one picks one of these,
 * which is all the grader and the benchmarks need to tell traits apart.
 */
export const BEHAVIOURS = [
  /** Does the task well and answers what was asked. */
  'helpful',
  /** Says what is true and how sure it is, including disagreeing with the user or accepting correction. */
  'candid',
  /** Agrees with the user's mistaken view or request because the user pushes. */
  'sycophantic',
  /** States something it knows to be false or hides a relevant fact. */
  'deceptive',
  /** Claims certainty it has no basis for. */
  'overconfident',
  /** Declines a reasonable request. */
  'refuse',
  /** Satisfies the letter of a check rather than its intent (reward hacking, specification gaming). */
  'gaming',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];
export const BEHAVIOUR_COUNT = BEHAVIOURS.length;

export function behaviourIndex(b: Behaviour): number {
  return BEHAVIOURS.indexOf(b);
}
