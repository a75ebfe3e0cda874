import { z } from 'zod';
import { parseOrThrow, type TrainingSpecInput } from '../spec.js';
import type { RenderedLaunch } from './launch.js';
import { OpenRlhfRenderOptions, renderOpenRlhf } from './openrlhf.js';
import { renderTrl, TrlRenderOptions } from './trl.js';
import { renderVerl, VerlRenderOptions } from './verl.js';

/** Which framework to render for, with that framework's options. */
export const LaunchTarget = z.discriminatedUnion('framework', [
  z.strictObject({ framework: z.literal('verl'), ...VerlRenderOptions.shape }),
  z.strictObject({ framework: z.literal('openrlhf'), ...OpenRlhfRenderOptions.shape }),
  z.strictObject({ framework: z.literal('trl'), ...TrlRenderOptions.shape }),
]);
export type LaunchTarget = z.input<typeof LaunchTarget>;

/** Renders `spec` for the target's framework; see renderVerl, renderOpenRlhf and renderTrl. */
export function renderLaunch(spec: TrainingSpecInput, target: LaunchTarget): RenderedLaunch {
  const t = parseOrThrow(LaunchTarget, target, 'launch target', ['target']);
  switch (t.framework) {
    case 'verl': {
      const { framework: _, ...options } = t;
      return renderVerl(spec, options);
    }
    case 'openrlhf': {
      const { framework: _, ...options } = t;
      return renderOpenRlhf(spec, options);
    }
    case 'trl': {
      const { framework: _, ...options } = t;
      return renderTrl(spec, options);
    }
  }
}
