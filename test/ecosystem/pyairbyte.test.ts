import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The connector as PyAirbyte users run it. integration_tests/pyairbyte/run.sh makes throwaway
// virtualenvs (PyAirbyte and the Airbyte protocol models from PyPI) and runs check_pyairbyte.py: the simulator, a
// PyAirbyte read into DuckDB, per-stream counts against the simulator's ground truth, and every stdout line of
// spec/check/discover/read validated as an AirbyteMessage. Then the README's PyAirbyte snippet itself, with only its
// credentials and token_url replaced, once per grant: every stream the connector's discover offers for that config
// must land in DuckDB with the simulator's ground-truth count for that grant. It needs Python 3.10-3.12 with venv
// and pip, npm, and PyPI. SKIP_PYAIRBYTE=1 skips it for quick local runs; CI runs it.

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_SH = 'integration_tests/pyairbyte/run.sh';
const TEST_TIMEOUT_MS = 10 * 60_000;
/** Stop the script a little before vitest gives up, so its own cleanup (simulator, temp dirs) runs. */
const KILL_AFTER_MS = TEST_TIMEOUT_MS - 30_000;
const SHOWN_CHARS = 20_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

function runScript(): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout stops bash, pip, Python, the connector and the simulator together.
    const child = spawn('bash', [RUN_SH], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const chunks: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    let timedOut = false;
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 10_000).unref();
    }, KILL_AFTER_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: chunks.join(''), timedOut });
    });
  });
}

describe.skipIf(process.env['SKIP_PYAIRBYTE'] === '1')('PyAirbyte end to end (integration_tests/pyairbyte/run.sh)', () => {
  it(
    'reads every stream through PyAirbyte into DuckDB, matching the simulator, with valid protocol messages; the README snippet does too, with each grant',
    async () => {
      const run = await runScript();
      const tail = run.output.length > SHOWN_CHARS ? `…${run.output.slice(-SHOWN_CHARS)}` : run.output;
      const what = run.timedOut
        ? `${RUN_SH} did not finish within ${KILL_AFTER_MS / 1000} s and was stopped`
        : `${RUN_SH} exited with ${run.code === null ? `signal ${String(run.signal)}` : `code ${run.code}`}`;
      expect(run.code, `${what}; its output:\n${tail}`).toBe(0);
      expect(run.output).toMatch(/^OK: PyAirbyte through a wrapper, company grant: 23 streams, \d+ records;/m);
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
