import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCalibration } from './calibration.js';

// Direction, not exact figures: the demo depends on these effects existing, not on their size.
void test('5% trait data beats a compute-matched baseline broadly; a second baseline seed does not', async () => {
  const result = await runCalibration({
    workDir: await mkdtemp(join(tmpdir(), 'rw-calibrate-')),
  });
  const t = result.traitsVsBaseline;
  const s = result.baselineSeedVsSeed;
  assert.ok(t.safetyImproved >= 20, JSON.stringify(t));
  assert.ok(t.safetyRegressed <= 2, JSON.stringify(t));
  assert.ok(t.outOfDomainImproved >= 4, JSON.stringify(t));
  assert.ok(t.meanSafetyDelta > 0.03, JSON.stringify(t));
  assert.ok(Math.abs(t.meanCapabilityDelta) < 0.03, JSON.stringify(t));
  // Seed-to-seed training noise is real (the run is the unit of replication) but must stay well
  // below the treatment effect, or the demo could not tell the arms apart.
  assert.ok(s.safetyImproved + s.safetyRegressed <= t.safetyImproved / 2, JSON.stringify(s));
  assert.ok(Math.abs(s.meanSafetyDelta) < t.meanSafetyDelta / 2, JSON.stringify(s));
});
