import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes on every Ballast workflow; `BallastPhase` holds an ExperimentPhase or ArmPhase. */
export const searchAttributes = {
  experimentId: defineSearchAttributeKey('BallastExperimentId', SearchAttributeType.KEYWORD),
  arm: defineSearchAttributeKey('BallastArm', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('BallastPhase', SearchAttributeType.KEYWORD),
  backend: defineSearchAttributeKey('BallastBackend', SearchAttributeType.KEYWORD),
} as const;

/** name → type, in the spelling `temporal server start-dev --search-attribute` takes. */
export const SEARCH_ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {
  BallastExperimentId: 'Keyword',
  BallastArm: 'Keyword',
  BallastPhase: 'Keyword',
  BallastBackend: 'Keyword',
};
