import type { BenchSection } from './support.js';

/**
 * Weekly digests for 1,000 units over 100k tasks (100 units over 10k with `--quick`): seconds
 * and SQL queries per digest. Filled in where digests are built; until then the section says so.
 */
export const digestsSection: BenchSection = {
  name: 'digests',
  run: () => Promise.resolve({ skipped: 'digests are not part of this build yet' }),
};
