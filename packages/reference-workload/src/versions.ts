/** Bumped whenever the generated corpora would change; a cached corpus of another version is rebuilt. */
export const GENERATOR_VERSION = 'reference-corpora/1';
/** Bumped whenever benchmark items or scoring would change. */
export const EVALUATOR_VERSION = 'reference-evaluator/1';
