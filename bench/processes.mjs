// Child processes of the benchmark: the simulator, and measured runs (connector or floor) whose stdout is drained
// and counted without keeping it, with their resident memory sampled once a second.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIMULATOR = fileURLToPath(new URL('../simulator/bin/concur-simulator.js', import.meta.url));

/** Every process started here, so an interrupted benchmark leaves none behind. */
const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function startSimulator(args) {
  const child = track(spawn(process.execPath, [SIMULATOR, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  const { url } = JSON.parse(line);
  const sim = (path, init) => fetch(`${url}/_sim/${path}`, init);
  return {
    url,
    pid: child.pid,
    /** Data requests since the last reset (the token endpoint not counted), per route pattern. */
    async stats() {
      const stats = await (await sim('stats')).json();
      const token = stats.byPath['/oauth2/v0/token'] ?? 0;
      return { requests: stats.requests - token, byPath: stats.byPath, itemsServed: stats.itemsServed };
    },
    async resetStats() {
      await sim('stats', { method: 'DELETE' });
      await sim('requests', { method: 'DELETE' });
    },
    async setFaults(faults) {
      const response = await sim('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults }) });
      if (!response.ok) throw new Error(`simulator refused faults ${faults.join(' ')}: ${await response.text()}`);
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
    },
  };
}

const hasProc = existsSync('/proc/self/status');

/** Resident set size of a process now (MB), from /proc (Linux); undefined elsewhere or once it has gone. */
function rssMb(pid) {
  if (!hasProc) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const RECORD_PREFIX = Buffer.from('{"type":"RECORD"');

/**
 * Splits stdout into lines without decoding the records: a RECORD line is only counted, every other line (STATE,
 * LOG, TRACE) is kept as text. Reading 2 GB of records must cost the benchmark as little CPU as possible, since it
 * shares the machine with the process it measures.
 */
class LineCounter {
  records = 0;
  others = [];
  head = Buffer.alloc(0);
  parts = undefined;
  isRecord = undefined;

  push(chunk) {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, newline));
      this.endLine();
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  }

  take(piece) {
    if (this.isRecord === undefined) {
      this.head = Buffer.concat([this.head, piece.subarray(0, RECORD_PREFIX.length)]);
      if (this.head.length >= RECORD_PREFIX.length) this.isRecord = this.head.subarray(0, RECORD_PREFIX.length).equals(RECORD_PREFIX);
      (this.parts ??= []).push(piece);
      if (this.isRecord) this.parts = undefined;
    } else if (!this.isRecord) {
      this.parts.push(piece);
    }
  }

  endLine() {
    if (this.isRecord) this.records++;
    else if (this.parts && this.parts.length > 0) this.others.push(Buffer.concat(this.parts).toString('utf8'));
    this.head = Buffer.alloc(0);
    this.parts = undefined;
    this.isRecord = undefined;
  }
}

/**
 * Runs `node <args>` and drains its stdout. `reader` throttles the draining (bytes per second) to play a slow
 * destination; `stopAfterMs` sends SIGTERM after that long (then drains at full speed so the process can finish).
 * Resolves with wall time, records counted, the other output lines, stderr, RSS samples and the exit code.
 */
export function measure(args, { reader, stopAfterMs, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }));
    const counter = new LineCounter();
    let bytes = 0;
    let stderr = '';
    let throttled = reader !== undefined;
    const samples = [];
    const sample = () => {
      const rss = rssMb(child.pid);
      if (rss !== undefined) samples.push({ seconds: Number(((performance.now() - started) / 1000).toFixed(1)), rssMb: Number(rss.toFixed(1)) });
    };
    const sampler = setInterval(sample, 1000);
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      counter.push(chunk);
      if (throttled) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), (chunk.length / reader.bytesPerSecond) * 1000);
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-64 * 1024);
    });
    const stopper =
      stopAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            sample();
            throttled = false;
            child.stdout.resume();
            child.kill('SIGTERM');
          }, stopAfterMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearInterval(sampler);
      if (stopper) clearTimeout(stopper);
      counter.endLine();
      resolve({ code, signal, seconds: (performance.now() - started) / 1000, records: counter.records, bytes, lines: counter.others, stderr, samples });
    });
  });
}

/** The connector's own end-of-sync figures: "process: X s CPU, peak RSS Y MB", and the per-stream request count. */
export function connectorSummary(lines) {
  const summary = lines.filter((line) => line.includes('Sync summary')).map((line) => JSON.parse(line).log.message);
  if (summary.length === 0) return undefined;
  const text = summary.join('\n');
  const usage = /process: ([\d.]+) s CPU, peak RSS (\d+) MB/.exec(text);
  return { cpuSeconds: usage ? Number(usage[1]) : undefined, peakRssMb: usage ? Number(usage[2]) : undefined, text };
}

/** The floor scripts print `{"usage":{cpuSeconds, peakRssMb}}` as their last stderr line. */
export function floorUsage(stderr) {
  const line = stderr.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line).usage;
  } catch {
    return undefined;
  }
}

/** The 1-minute load average (Linux), to state under what load figures were taken. */
export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}
