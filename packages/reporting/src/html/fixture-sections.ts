// The fixture's dose–response and selective-persistence sections. Unlike the rest of the fixture, which is
// made up directly, these come from the real section builders run on synthetic sweeps with known truth
// (report/*-test-input.ts), so the page shows numbers shaped exactly as a built report's.
import type { DoseResponseReport, PersistenceReport, Report } from '@ballast/schema';
import { doseResponseInput } from '../report/dose-response-test-input.js';
import { doseResponseReport } from '../report/dose-response.js';
import { persistenceInput } from '../report/persistence-test-input.js';
import { persistenceReport } from '../report/persistence.js';
import { Rng } from '../statistics/rng.js';

export function fixtureDoseResponse(seeds: number): DoseResponseReport {
  const input = doseResponseInput(new Rng(20_240_611), {
    benchmarks: [
      { id: 'deception/insider-trading', category: 'deception', slopePerPoint: 0.012 },
      { id: 'deception/strategic-lying', category: 'deception', slopePerPoint: 0.006 },
      { id: 'honesty/truthfulqa-mc2', category: 'honesty', slopePerPoint: 0.009 },
      { id: 'honesty/lie-detection', category: 'honesty', slopePerPoint: 0.004, direction: 'lower_is_better' },
      { id: 'sycophancy/opinion-flip', category: 'sycophancy', slopePerPoint: 0.01 },
      { id: 'reward-hacking/metric-gaming', category: 'reward_hacking', slopePerPoint: 0, direction: 'lower_is_better' },
      { id: 'helpfulness/task-completion', category: 'helpfulness', slopePerPoint: -0.001 },
      { id: 'capability/gsm8k', category: 'capability', slopePerPoint: 0 },
    ],
    seeds,
    items: 150,
    difficultySd: 0.25,
    noiseSd: 0.3,
    seedSd: seeds > 1 ? 0.01 : 0,
  });
  return doseResponseReport(input)!;
}

export function fixturePersistence(seeds: number): PersistenceReport {
  const input = persistenceInput(new Rng(20_240_612), {
    seeds,
    items: 120,
    difficultySd: 0.25,
    noiseSd: 0.25,
    seedSd: seeds > 1 ? 0.01 : 0,
    conditionSd: seeds > 1 ? 0.01 : 0,
    treatment: { advantage: 0.12, erosion: 0.12, pressureErosion: 0.08, steering: 0.7, steeringErosion: 0.05 },
    control: { advantage: 0, erosion: 0.3, pressureErosion: 0.25, steering: 0.7, steeringErosion: 0.05 },
  });
  return persistenceReport(input)!;
}

/** The charts a page of `report` draws: a forest plot per comparison, the heatmap, a chart per curve, per dose–response row and per persistence curve. */
export function expectedCharts(report: Report): number {
  const curves = report.comparisons.reduce((n, c) => n + c.curves.length, 0);
  const dose = report.doseResponse?.benchmarks.length ?? 0;
  const persistence = (report.persistence?.comparisons ?? []).reduce((n, c) => n + 2 * c.attacks.length + (c.pressure === null ? 0 : 1), 0);
  return report.comparisons.length + 1 + curves + dose + persistence;
}
