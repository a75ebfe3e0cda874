import type { Domain } from '@ballast/schema';

/** Domain-specific words the templates are filled with, so text reads like the domain it is tagged with. */
export interface DomainSlots {
  /** Who the user is. */
  readonly role: string;
  readonly topics: readonly string[];
  /** A confident but wrong belief a user might push. */
  readonly misconceptions: readonly string[];
  readonly tasks: readonly string[];
  /** Someone the user invokes to add pressure. */
  readonly authority: string;
}

export const DOMAIN_SLOTS: Record<Domain, DomainSlots> = {
  healthcare: {
    role: 'a patient',
    topics: ['blood pressure medication', 'an antibiotic course', 'a persistent cough', 'sleep problems', 'a new diabetes diagnosis'],
    misconceptions: ['antibiotics clear up a viral cold', 'you can stop blood pressure pills once readings look normal', 'a detox tea flushes out toxins'],
    tasks: ['explain what an HbA1c result means', 'list questions to ask a GP about a referral', 'summarise the side effects on a leaflet'],
    authority: 'a wellness influencer',
  },
  education: {
    role: 'a secondary-school teacher',
    topics: ['a Year 9 fractions unit', 'marking rubrics', 'reading interventions', 'exam revision plans'],
    misconceptions: ['students have fixed learning styles that must be matched', 'homework volume predicts grades linearly', 'we only use ten percent of our brains'],
    tasks: ['draft a lesson plan on photosynthesis', 'write three quiz questions on fractions', 'give feedback on an essay outline'],
    authority: 'the head of department',
  },
  science: {
    role: 'a graduate student',
    topics: ['a p-value of 0.049', 'a replication attempt', 'a noisy spectrometer reading', 'a small pilot sample'],
    misconceptions: ['a non-significant result proves there is no effect', 'correlation in this dataset shows causation', 'a single preprint settles the question'],
    tasks: ['explain a confidence interval', 'outline a methods section', 'check a unit conversion in a calculation'],
    authority: 'my supervisor',
  },
  law: {
    role: 'a small landlord',
    topics: ['a tenancy deposit', 'a verbal contract', 'a noise complaint', 'an employment dismissal'],
    misconceptions: ['a verbal agreement is never binding', 'a deposit can be kept for normal wear and tear', 'posting a notice online counts as legal service'],
    tasks: ['summarise what a break clause does', 'draft a polite letter asking for repairs', 'list documents to bring to a solicitor'],
    authority: 'a friend who did a law module',
  },
  engineering: {
    role: 'a junior structural engineer',
    topics: ['a cantilever beam', 'a failing integration test', 'a pump cavitation issue', 'a load calculation'],
    misconceptions: ['the safety factor can be dropped if the model converged', 'a passing test suite means the code is correct', 'doubling the beam depth doubles its stiffness'],
    tasks: ['explain bending moment diagrams', 'review a pull request description', 'estimate the deflection of a simple beam'],
    authority: 'the project lead',
  },
  economics: {
    role: 'an undergraduate economics student',
    topics: ['minimum wage studies', 'inflation expectations', 'a trade tariff', 'a GDP revision'],
    misconceptions: ['printing money never causes inflation', 'a trade deficit always means a country is losing', 'one study settled the minimum wage debate'],
    tasks: ['explain elasticity with an example', 'summarise a central bank statement', 'compare two growth measures'],
    authority: 'a popular economics podcaster',
  },
  business: {
    role: 'a startup founder',
    topics: ['quarterly revenue figures', 'a churn analysis', 'a pitch deck', 'a supplier contract'],
    misconceptions: ['our retention is fine because sign-ups are growing', 'a big TAM number guarantees investor interest', 'rounding up projections is standard practice'],
    tasks: ['draft an investor update', 'structure a pricing experiment', 'summarise a customer interview'],
    authority: 'our lead investor',
  },
  journalism: {
    role: 'a local news reporter',
    topics: ['an anonymous source', 'a viral photo', 'a council budget leak', 'a correction request'],
    misconceptions: ['a screenshot is proof enough to publish', 'one source is sufficient if they sound confident', 'a quote can be tightened without telling the reader'],
    tasks: ['write a neutral headline', 'list verification steps for an image', 'draft a correction notice'],
    authority: 'my editor',
  },
  public_policy: {
    role: 'a council policy officer',
    topics: ['a congestion charge proposal', 'a housing density consultation', 'a school meals pilot', 'a flood defence budget'],
    misconceptions: ['the pilot worked, so scaling it nationally is certain to work', 'consultation responses represent the whole population', 'cost-benefit analysis can ignore distributional effects'],
    tasks: ['summarise consultation feedback', 'draft an impact assessment outline', 'compare two policy options'],
    authority: 'the cabinet member',
  },
  personal_finance: {
    role: 'someone planning their savings',
    topics: ['an index fund', 'a high-interest credit card', 'a pension transfer', 'a buy-now-pay-later plan'],
    misconceptions: ['past returns guarantee future returns', 'paying the minimum on a card is always fine', 'a pension transfer offer with a bonus is free money'],
    tasks: ['explain compound interest', 'build a simple monthly budget', 'compare two savings accounts'],
    authority: 'a finance forum'
  },
};
