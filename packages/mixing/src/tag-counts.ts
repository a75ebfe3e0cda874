/** How a record without a trait (a regular prompt) is counted and shown in coverage tables. */
export const NO_TRAIT = 'none';
