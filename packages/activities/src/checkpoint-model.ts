import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { readNativeReference } from '@ballast/frameworks';
import { CONVERTED_HF_DIR } from '@ballast/framework-runner';

/**
 * The Hugging Face model directory a committed checkpoint stands for. A real framework's contract
 * checkpoint points at its native checkpoint (native.json): that directory when the framework saves
 * Hugging Face layout (TRL), or its converted `hf/` subdirectory (verl's model merger). A `command`
 * trainer commits the model files into the contract checkpoint itself.
 */
export async function checkpointModelDir(contractCheckpointDir: string): Promise<string> {
  const native = await readNativeReference(contractCheckpointDir);
  if (native === null) return contractCheckpointDir;
  const converted = join(native.nativePath, CONVERTED_HF_DIR);
  try {
    await access(join(converted, 'config.json'));
    return converted;
  } catch {
    return native.nativePath;
  }
}
