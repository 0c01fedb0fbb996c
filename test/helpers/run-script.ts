import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOWN_CHARS = 20_000;

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
  /** What happened, and the end of the output: the message of a failed expectation. */
  failure: string;
}

/**
 * Runs a bash script of the repository (stdout and stderr together) in a process group of its own, so that a
 * timeout stops bash, pip, Python, dbt, the connector and the simulator together: SIGTERM first (the script's exit
 * trap then cleans up, a PostgreSQL server included), SIGKILL 10 s later.
 */
export function runScript(path: string, killAfterMs: number): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
    }, killAfterMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const output = chunks.join('');
      const tail = output.length > SHOWN_CHARS ? `…${output.slice(-SHOWN_CHARS)}` : output;
      const what = timedOut
        ? `${path} did not finish within ${killAfterMs / 1000} s and was stopped`
        : `${path} exited with ${code === null ? `signal ${String(signal)}` : `code ${code}`}`;
      resolve({ code, signal, output, timedOut, failure: `${what}; its output:\n${tail}` });
    });
  });
}
