/** Build step: bundles the workflows once so workers start without running webpack. */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '@ballast/workflows';
import { WORKFLOW_BUNDLE_PATH } from './worker.js';

const { code } = await bundleWorkflowCode({ workflowsPath, logger: undefined });
writeFileSync(WORKFLOW_BUNDLE_PATH, code);
process.stdout.write(`workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)\n`);
