import { access, constants } from 'node:fs/promises';
import { loadConfig, pythonFor } from '@ballast/config';

/**
 * The default ML environment's interpreter, as the configuration names it (the venv `npm run setup:ml`
 * builds, unless configured otherwise); the tests that need it fail saying how to get it.
 */
export async function defaultPython(): Promise<string> {
  const python = pythonFor(loadConfig(), 'default', 'local')!;
  try {
    await access(python, constants.X_OK);
  } catch {
    throw new Error(`the default ML environment is missing (${python}); build it with npm run setup:ml`);
  }
  return python;
}
