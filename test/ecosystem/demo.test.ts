import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SMALL = ['--reports', '20', '--users', '3', '--port', '0'];

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function start(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(args[0] as string, args.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A read of the demo's own files; its exit code and how many records came out. */
async function readWith(command: string): Promise<{ code: number | null; records: number }> {
  const child = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let records = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{"type":"RECORD"')) records++;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, records };
}

describe('the demo can be continued', () => {
  it('prints the command that starts the same company again on the port its config names, and the read that follows works', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    const demo = start([process.execPath, 'scripts/demo.mjs', '--out', out, ...SMALL]);
    expect(await demo.exited).toBe(0);
    const again = /start the same simulated company again[^\n]*\n {2}(node simulator\/bin\/concur-simulator\.js [^\n]+)\n/.exec(demo.stderr())?.[1];
    const read = /in another terminal:\n {2}(node bin\/source-concur\.js read [^\n]+)\n/.exec(demo.stderr())?.[1];
    expect(again, demo.stderr()).toBeDefined();
    expect(read).toBe(`node bin/source-concur.js read --config ${out}/config.json --catalog ${out}/catalog.json`);

    // The demo's simulator is gone; the printed one comes back on the port of .demo/config.json.
    const port = new URL(String(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).token_url)).port;
    expect(again).toContain(`--port ${port} `);
    const simulator = start((again as string).replace(/^node /, `${process.execPath} `).split(' '));
    let listening = '';
    createInterface({ input: simulator.child.stdout as NodeJS.ReadableStream }).once('line', (line) => (listening = line));
    await until(() => listening !== '', 'the simulator to listen');
    expect(JSON.parse(listening).url).toBe(`http://127.0.0.1:${port}`);
    const result = await readWith(read as string);
    expect(result.code).toBe(0);
    expect(result.records).toBeGreaterThan(100);
    simulator.child.kill('SIGTERM');
    expect(await simulator.exited).toBe(0);
  }, 120_000);

  it('--keep leaves the simulator running until the demo is stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    const demo = start([process.execPath, 'scripts/demo.mjs', '--out', out, '--keep', ...SMALL]);
    await until(() => /keeps running/.test(demo.stderr()), 'the demo to finish its read');
    const read = /In another terminal:\n {2}(node bin\/source-concur\.js read [^\n]+)\n/.exec(demo.stderr())?.[1];
    expect((await readWith(read as string)).code).toBe(0);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    const tokenUrl = String(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).token_url);
    await expect(fetch(tokenUrl, { method: 'POST' })).rejects.toThrow();
  }, 120_000);
});
