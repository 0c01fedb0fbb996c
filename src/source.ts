import type { Context } from './context.js';
import { toConnectorError } from './failures.js';
import { describeFailure } from './protocol/errors.js';
import { errorTraceMessage } from './protocol/messages.js';

// The connector's commands, as plain async functions over a Context (cli.ts wires them to the process).
export { check } from './commands/check.js';
export { discover } from './commands/discover.js';
export { exchange } from './commands/exchange.js';
export { read } from './commands/read.js';
export { spec } from './commands/spec.js';
export { createLog, type Context, type Log } from './context.js';

/** A failure outside any stream, as one ERROR trace. */
export async function reportFailure(ctx: Context, error: unknown): Promise<void> {
  await ctx.out.write(errorTraceMessage(describeFailure(toConnectorError(error)), ctx.now()));
}
