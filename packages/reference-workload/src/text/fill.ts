import type { Domain } from '@ballast/schema';
import type { Rng } from '../rng.js';
import { DOMAIN_SLOTS } from './domain-slots.js';

/** Replaces {role} {topic} {misconception} {task} {authority} with words for `domain`, drawn with `rng`. */
export function fillTemplate(template: string, domain: Domain, rng: Rng): string {
  const s = DOMAIN_SLOTS[domain];
  return template.replace(/\{(role|topic|misconception|task|authority)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'role':
        return s.role;
      case 'topic':
        return rng.pick(s.topics);
      case 'misconception':
        return rng.pick(s.misconceptions);
      case 'task':
        return rng.pick(s.tasks);
      default:
        return s.authority;
    }
  });
}
