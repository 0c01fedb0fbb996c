import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.js';

// The dbt package (dbt/) on the warehouses users land Concur in. dbt/ci/run.sh makes throwaway virtualenvs
// (PyAirbyte with integration_tests/pyairbyte's pins, dbt with dbt-duckdb and dbt-postgres) and starts a private
// PostgreSQL server (this machine's initdb/pg_ctl, a free loopback port); dbt/ci/e2e.py then syncs the simulator
// through PyAirbyte into DuckDB and PostgreSQL, removes an entry from a report in the simulator, syncs again, runs
// `dbt build` on both and checks the models against the simulator's ground truth: current entries, the removed
// entry kept in the synced table but not in the model, every report's Total = the sum of its expense lines, and
// the user guide's Custom fields SQL example. It needs Python 3.10-3.12 with venv and pip, PostgreSQL's initdb and
// pg_ctl, and PyPI. SKIP_DBT=1 skips it for quick local runs; CI runs it.

const RUN_SH = 'dbt/ci/run.sh';
const TEST_TIMEOUT_MS = 10 * 60_000;
/** Stop the script a little before vitest gives up, so its own cleanup runs. */
const KILL_AFTER_MS = TEST_TIMEOUT_MS - 30_000;

describe.skipIf(process.env['SKIP_DBT'] === '1')('dbt package end to end (dbt/ci/run.sh)', () => {
  it(
    'builds and tests every model on DuckDB and PostgreSQL after two PyAirbyte syncs, the models agreeing with the simulator after an entry was removed',
    async () => {
      const run = await runScript(RUN_SH, KILL_AFTER_MS);
      expect(run.code, run.failure).toBe(0);
      for (const warehouse of ['duckdb', 'postgres']) {
        expect(run.output).toMatch(
          new RegExp(
            `^OK: ${warehouse}: dbt build passed; \\d+ current entries, as in the simulator; the removed entry \\S+ still among the \\d+ synced rows and not in the model; every report's Total \\(\\d+\\) = the sum of its current expense lines`,
            'm',
          ),
        );
        expect(run.output).toMatch(new RegExp(`^dbt build \\(${warehouse}\\): exit 0 .*PASS=\\d+ WARN=0 ERROR=0`, 'm'));
      }
      expect(run.output).toMatch(/^OK: duckdb: .*; the guide's Custom fields example returns the ground truth \(\d+ rows\)$/m);
      console.log(run.output.split('\n').filter((line) => /^(OK: |dbt build |sync |simulator: |run\.sh: )/.test(line)).join('\n'));
    },
    TEST_TIMEOUT_MS,
  );
});
