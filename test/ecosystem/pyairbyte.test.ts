import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/run-script.js';

// The connector as PyAirbyte users run it. integration_tests/pyairbyte/run.sh makes throwaway
// virtualenvs (PyAirbyte and the Airbyte protocol models from PyPI) and runs check_pyairbyte.py: the simulator, a
// PyAirbyte read into DuckDB, per-stream counts against the simulator's ground truth, and every stdout line of
// spec/check/discover/read validated as an AirbyteMessage. Then the README's PyAirbyte snippet itself, with only its
// credentials and token_url replaced, once per grant: every stream the connector's discover offers for that config
// must land in DuckDB with the simulator's ground-truth count for that grant. It needs Python 3.10-3.12 with venv
// and pip, npm, and PyPI. SKIP_PYAIRBYTE=1 skips it for quick local runs; CI runs it.

const RUN_SH = 'integration_tests/pyairbyte/run.sh';
const TEST_TIMEOUT_MS = 10 * 60_000;
/** Stop the script a little before vitest gives up, so its own cleanup runs. */
const KILL_AFTER_MS = TEST_TIMEOUT_MS - 30_000;

describe.skipIf(process.env['SKIP_PYAIRBYTE'] === '1')('PyAirbyte end to end (integration_tests/pyairbyte/run.sh)', () => {
  it(
    'reads every stream through PyAirbyte into DuckDB, matching the simulator, with valid protocol messages; the README snippet does too, with each grant',
    async () => {
      const run = await runScript(RUN_SH, KILL_AFTER_MS);
      expect(run.code, run.failure).toBe(0);
      expect(run.output).toMatch(/^OK: PyAirbyte through a wrapper, company grant: 25 streams, \d+ records;/m);
      // How many streams each grant reads is whatever the connector's discover offers for it (checked by the script).
      for (const grant of ['password', 'company', 'refresh_token']) {
        expect(run.output).toMatch(new RegExp(`^OK: README snippet, ${grant} grant: [1-9]\\d* streams, [1-9]\\d* rows in DuckDB, all as in the simulator's ground truth;`, 'm'));
      }
      // The per-stream tables, for the CI log.
      const tables = run.output.slice(run.output.search(/^stream\s+emitted/m));
      console.log(tables.trimEnd());
    },
    TEST_TIMEOUT_MS,
  );
});
