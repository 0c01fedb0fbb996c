import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { setTimeout as delay } from 'node:timers/promises';
import { parseCommand, type Command } from './protocol/args.js';
import { MemoryGuard } from './protocol/memory-guard.js';
import { logMessage } from './protocol/messages.js';
import { Redactor } from './protocol/redact.js';
import { MessageWriter } from './protocol/writer.js';
import { check, discover, exchange, read, reportFailure, spec, type Context } from './source.js';

const HEARTBEAT_MS = 5 * 60_000;
/** How often a running stream says how far it has got; SOURCE_CONCUR_PROGRESS_SECONDS changes it. */
const PROGRESS_MS = 30_000;

function progressMs(): number {
  const seconds = Number(process.env.SOURCE_CONCUR_PROGRESS_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : PROGRESS_MS;
}

/**
 * The composition root and the only user of `process`: parses argv, runs the command, maps the outcome to an
 * exit code. SIGTERM (the platform's cancel) stops fetching; what was emitted stands, stdout is flushed, and the
 * process then ends by that same signal, as PyAirbyte and the platform expect of a cancelled connector.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // A sync allocates fast and keeps little: by default V8 lets the old generation grow to about four times what
  // survives a collection before the next one; twice is enough here, and the process needs ~25 MB less (bench/).
  // The 4 MB young generation that goes with it has to be set before V8 starts: bin/source-concur.js's first line.
  setFlagsFromString('--heap-growing-percent=100');
  const redactor = new Redactor();
  const out = new MessageWriter(process.stdout, redactor);
  const controller = new AbortController();
  // Each request in flight or queued listens for the cancel: up to max_concurrency plus those read ahead.
  setMaxListeners(0, controller.signal);
  let terminated = false;
  const onTerm = (): void => {
    terminated = true;
    controller.abort(new Error('cancelled by SIGTERM'));
  };
  process.once('SIGTERM', onTerm);
  const ctx = processContext(out, redactor, controller.signal);
  const onUnhandled = (reason: unknown): void => {
    void reportFailure(ctx, reason).catch(() => undefined);
  };
  process.on('unhandledRejection', onUnhandled);

  let code: number;
  try {
    const command = parseCommand(argv);
    ctx.debug = command.debug;
    if (command.ignored.length > 0) await out.write(logMessage('WARN', `Ignoring unknown arguments: ${command.ignored.join(' ')}`));
    code = await run(command, ctx, controller);
  } catch (error) {
    if (!terminated) await reportFailure(ctx, error).catch(() => undefined);
    code = 1;
  }
  await out.flush().catch(() => undefined);
  process.off('unhandledRejection', onUnhandled);
  process.off('SIGTERM', onTerm);
  if (terminated) process.kill(process.pid, 'SIGTERM');
  return code;
}

/** The context of a real run: the wall clock, real timers, this process's usage, and output to stdout. */
function processContext(out: MessageWriter, redactor: Redactor, signal: AbortSignal): Context {
  return {
    out,
    redactor,
    now: () => Date.now(),
    random: Math.random,
    sleep: (ms, sleepSignal) => delay(ms, undefined, sleepSignal ? { signal: sleepSignal } : undefined),
    signal,
    debug: false,
    heartbeatMs: HEARTBEAT_MS,
    progressMs: progressMs(),
    usage: () => {
      const usage = process.resourceUsage();
      return { cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 };
    },
  };
}

async function run(command: Command, ctx: Context, controller: AbortController): Promise<number> {
  switch (command.kind) {
    case 'spec':
      return spec(ctx);
    case 'check':
      return check(ctx, command.config);
    case 'discover':
      return discover(ctx, command.config);
    case 'exchange':
      return exchange(ctx, command.config, command.output);
    case 'read': {
      const guard = new MemoryGuard({
        // Only tests move them: in a container the cgroup filesystem is where Linux mounts it, and once a second
        // is often enough to look.
        ...(process.env.SOURCE_CONCUR_CGROUP_ROOT ? { cgroupRoot: process.env.SOURCE_CONCUR_CGROUP_ROOT } : {}),
        ...(Number(process.env.SOURCE_CONCUR_MEMORY_CHECK_MS) > 0 ? { intervalMs: Number(process.env.SOURCE_CONCUR_MEMORY_CHECK_MS) } : {}),
        onWarn: (message) => void ctx.out.write(logMessage('WARN', message)).catch(() => undefined),
        onLimit: (error) => controller.abort(error),
      }).start();
      try {
        return await read(ctx, command.config, command.catalog, command.state);
      } finally {
        guard.stop();
      }
    }
  }
}
