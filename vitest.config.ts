import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take a minute or more, longest first. Vitest orders files by the durations it cached on earlier runs;
 * on a clean clone it has none and would start these last (it falls back to file size), leaving one worker busy
 * alone for minutes at the end.
 */
const LONGEST = [
  'test/integration/fault-matrix.test.ts',
  'test/ecosystem/pyairbyte.test.ts',
  'test/ecosystem/dbt.test.ts',
  'test/integration/secrets.test.ts',
  'test/integration/faults.test.ts',
  'test/bench/bench-smoke.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const index = LONGEST.indexOf(relative(file.project.config.root, file.moduleId).replaceAll('\\', '/'));
      return index < 0 ? LONGEST.length : index;
    };
    // A stable sort: the other files keep the order vitest chose.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests spawn the built CLI and the simulator as processes; forks keep them isolated.
    pool: 'forks',
    // Vitest's default is one worker per core but one, so a single worker on 2 cores. The longest files mostly wait
    // (on backoff and timeouts, on PyAirbyte's installs), so a second file fits beside them even there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
