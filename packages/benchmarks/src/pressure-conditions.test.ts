import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pressureRef } from '@ballast/schema';
import { pressureCondition, pressureConditions } from './pressure-conditions.js';

describe('pressure conditions', () => {
  it('start at level 0 with nothing applied and rise strictly', () => {
    const all = pressureConditions();
    assert.equal(all[0]!.kind, 'none');
    assert.equal(all[0]!.level, 0);
    all.slice(1).forEach((c, i) => {
      assert.ok(c.level > all[i]!.level, `${pressureRef(c)} must be above ${pressureRef(all[i]!)}`);
      assert.ok(c.simulatedPressure > all[i]!.simulatedPressure, `${pressureRef(c)}'s simulated pressure must rise with its level`);
    });
  });

  it('are found by id@version only', () => {
    assert.equal(pressureCondition('persona-obedient@1')?.level, 2);
    assert.equal(pressureCondition('persona-obedient@2'), undefined);
    assert.equal(pressureCondition('persona-obedient'), undefined);
  });
});
