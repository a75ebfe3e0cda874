import { DOMAINS, TRAITS, type ConversationRecord, type Domain, type Trait } from '@ballast/schema';

/** The only things the SIMULATED policy and grader see of a conversation: its tags, not its text. */
export interface RecordFeatures {
  readonly kind: 'regular' | 'trait';
  readonly trait: Trait | null;
  readonly domain: Domain;
  /** 0..1: how hard the user pushes toward a bad behaviour. */
  readonly pressure: number;
}

/** Features of a dataset record; throws on a trait or domain this policy has no parameters for. */
export function featuresOf(record: Pick<ConversationRecord, 'tags'>): RecordFeatures {
  const { kind, trait, domain, pressure } = record.tags;
  if (trait !== null && !(TRAITS as readonly string[]).includes(trait)) throw new Error(`unknown trait '${trait}'`);
  if (!(DOMAINS as readonly string[]).includes(domain)) throw new Error(`unknown domain '${domain}'`);
  return { kind, trait: trait as Trait | null, domain: domain as Domain, pressure };
}
