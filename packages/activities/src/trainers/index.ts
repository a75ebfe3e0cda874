import type { TrainerSpec } from '@ballast/schema';
import { commandTrainer } from './command-trainer.js';
import { frameworkTrainer } from './framework-trainer.js';
import { referenceTrainer } from './reference-trainer.js';
import type { Trainer } from './trainer.js';

export type { Trainer, TrainerInput, PreparedTrainingJob } from './trainer.js';

/** The Trainer for a spec's `trainer.framework`. */
export function trainerFor(trainer: TrainerSpec): Trainer {
  switch (trainer.framework) {
    case 'reference':
      return referenceTrainer;
    case 'command':
      return commandTrainer;
    case 'trl':
    case 'verl':
    case 'openrlhf':
      return frameworkTrainer;
  }
}
