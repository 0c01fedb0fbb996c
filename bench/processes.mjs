// Child processes of the benchmark: servers (simulator, page server) and measured runs (connector or floor),
// whose stdout is drained and counted without keeping it, whose resident memory is sampled once a second from
// /proc, and whose CPU time and peak RSS come from the same probe loaded into every measured process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./usage-probe.mjs', import.meta.url));

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

/**
 * Starts a server script that prints one JSON line with its `url` when it listens (the simulator and the page
 * server both do). Resolves with that line, the pid and a stop() that waits for the exit.
 */
export async function startServer(script, args, { stderr = 'inherit' } = {}) {
  const child = track(spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', stderr] }));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before listening`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    pid: child.pid,
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

const hasProc = existsSync('/proc/self/status');

/** VmRSS and VmHWM of a process now (MB), from /proc (Linux); undefined elsewhere or once it has gone. */
export function memoryOf(pid) {
  if (!hasProc) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return rss && hwm ? { rssMb: Number(rss[1]) / 1024, hwmMb: Number(hwm[1]) / 1024 } : undefined;
  } catch {
    return undefined;
  }
}

const RECORD_PREFIX = Buffer.from('{"type":"RECORD"');

/**
 * Splits stdout into lines without decoding the records: a RECORD line is only counted (or kept raw, when asked),
 * every other line (STATE, LOG, TRACE) is kept as text. Reading gigabytes of records must cost the benchmark as
 * little CPU as possible, since it shares the machine with the process it measures.
 */
class LineCounter {
  records = 0;
  others = [];
  /** @type {string[] | undefined} */
  kept;
  head = Buffer.alloc(0);
  parts = undefined;
  isRecord = undefined;

  constructor(keepRecords) {
    if (keepRecords) this.kept = [];
  }

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
      if (this.isRecord && !this.kept) this.parts = undefined;
    } else if (!this.isRecord || this.kept) {
      this.parts.push(piece);
    }
  }

  endLine() {
    if (this.isRecord) {
      this.records++;
      if (this.kept) this.kept.push(Buffer.concat(this.parts).toString('utf8'));
    } else if (this.parts && this.parts.length > 0) this.others.push(Buffer.concat(this.parts).toString('utf8'));
    this.head = Buffer.alloc(0);
    this.parts = undefined;
    this.isRecord = undefined;
  }
}

let runs = 0;

/**
 * Runs `node --import usage-probe <args>` and drains its stdout. `reader` throttles the draining (bytes per
 * second) to play a slow destination; `stopAfterMs` sends SIGTERM after that long (then drains at full speed so
 * the process can finish); `keepRecords` keeps the RECORD lines (small reads only); `nodeArgs` go to node
 * (e.g. --cpu-prof). Resolves with wall time,
 * records counted, the other output lines, stderr, RSS samples, the probe's usage and the exit code.
 */
export function measure(args, { reader, stopAfterMs, env, keepRecords = false, timeoutMs, nodeArgs = [] } = {}) {
  const usageFile = join(tmpdir(), `source-concur-bench-${process.pid}-${++runs}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(
      spawn(process.execPath, ['--import', PROBE, ...nodeArgs, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile } }),
    );
    const counter = new LineCounter(keepRecords);
    let bytes = 0;
    let stderr = '';
    let throttled = reader !== undefined;
    const samples = [];
    const sample = () => {
      const memory = memoryOf(child.pid);
      if (memory) samples.push({ seconds: Number(((performance.now() - started) / 1000).toFixed(1)), rssMb: Number(memory.rssMb.toFixed(1)), hwmMb: Number(memory.hwmMb.toFixed(1)) });
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
    const stop = () => {
      sample();
      throttled = false;
      child.stdout.resume();
      child.kill('SIGTERM');
    };
    const stopper = stopAfterMs === undefined ? undefined : setTimeout(stop, stopAfterMs);
    const killer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (stopper) clearTimeout(stopper);
      if (killer) clearTimeout(killer);
      counter.endLine();
      let usage;
      try {
        usage = JSON.parse(readFileSync(usageFile, 'utf8'));
        rmSync(usageFile, { force: true });
      } catch {
        usage = undefined;
      }
      const sampledPeak = Math.max(0, ...samples.map((s) => s.hwmMb));
      resolve({
        code,
        signal,
        seconds,
        records: counter.records,
        recordLines: counter.kept,
        bytes,
        lines: counter.others,
        stderr,
        samples,
        cpuSeconds: usage?.cpuSeconds,
        // The probe's maxRSS and the sampled VmHWM are the same kernel counter (the sample may miss the last second).
        peakRssMb: Math.max(usage?.peakRssMb ?? 0, sampledPeak) || undefined,
      });
    });
  });
}

/** The connector's "Sync summary: " LOG lines (one message per line), as text. */
export function summaryLines(lines) {
  const out = [];
  for (const line of lines) {
    if (!line.includes('Sync summary: ')) continue;
    try {
      const message = JSON.parse(line).log?.message;
      if (typeof message === 'string' && message.startsWith('Sync summary: ')) out.push(message.slice('Sync summary: '.length));
    } catch {
      // not a LOG message
    }
  }
  return out;
}

/** The connector's own request count: "Sync summary: all streams: N requests, …". */
export function connectorRequests(lines) {
  for (const line of summaryLines(lines)) {
    const match = /^all streams: (\d+) requests/.exec(line);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Per-stream request counts of the summary: "<stream>: COMPLETE, N records, S states, R requests, …". */
export function streamRequests(lines) {
  const out = new Map();
  for (const line of summaryLines(lines)) {
    const match = /^([a-z_]+): (\w+), (\d+) records, \d+ states, (\d+) requests/.exec(line);
    if (match) out.set(match[1], { status: match[2], records: Number(match[3]), requests: Number(match[4]) });
  }
  return out;
}

/** The 1-minute load average (Linux), to state under what load figures were taken. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).map(Number);
  } catch {
    return undefined;
  }
}

/** Total and steal CPU ticks of the machine (Linux /proc/stat). */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0, idle: (fields[3] ?? 0) + (fields[4] ?? 0) };
  } catch {
    return undefined;
  }
}

/**
 * Runs `run` and adds what the machine did meanwhile: the share of CPU time the hypervisor gave to others
 * (steal) and how busy all CPUs were, for context.
 */
export async function withMachine(run) {
  const before = cpuTimes();
  const result = await run();
  const after = cpuTimes();
  if (before && after && after.total > before.total) {
    const total = after.total - before.total;
    result.stealPercent = (100 * (after.steal - before.steal)) / total;
    result.machineBusyPercent = 100 - (100 * (after.idle - before.idle)) / total;
  }
  return result;
}
