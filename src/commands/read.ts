import { loadSpec } from '../assets.js';
import type { Principal } from '../concur/auth.js';
import { DEFAULT_RETRY_POLICY } from '../concur/retry.js';
import { buildClient, grantPrincipal } from '../concur-client.js';
import { loadConfig } from '../config/load.js';
import { createLog, type Context } from '../context.js';
import { toConnectorError } from '../failures.js';
import { parseCatalog, parseStateFile, readJsonFile, type IncomingState } from '../protocol/files.js';
import { ReadRunner } from '../protocol/run-read.js';
import { streamRuns, type RequestCounts } from '../stream-runs.js';
import { streamEnv } from '../streams/env.js';
import { summaryLines } from '../summary.js';

/** `read`: every configured stream, each to its end or its own failure; exit 1 when any did not complete. */
export async function read(ctx: Context, configPath: string, catalogPath: string, statePath: string | undefined): Promise<number> {
  const log = createLog(ctx);
  const config = loadConfig(await readJsonFile('config', configPath), loadSpec(), ctx.now(), ctx.redactor);
  for (const warning of config.unknownFields) log.warn(warning);
  const catalog = parseCatalog(await readJsonFile('catalog', catalogPath));
  const states = statePath === undefined ? new Map<string, IncomingState>() : parseStateFile(await readJsonFile('state', statePath));

  let runner: ReadRunner | undefined;
  const client = buildClient(ctx, config, log, DEFAULT_RETRY_POLICY, { onRateLimited: (resumeAt) => void runner?.rateLimited(resumeAt).catch(() => undefined) });
  let principal: Principal | undefined;
  try {
    principal = (await client.authenticate(ctx.signal)).principal ?? grantPrincipal(config);
  } catch (error) {
    throw toConnectorError(error);
  }

  for (const name of states.keys()) {
    if (!catalog.some((entry) => entry.ok && entry.stream.stream.name === name)) {
      log.info(`The state has an entry for stream "${name}", which is not in the configured catalog; it is left untouched.`);
    }
  }
  const requests: RequestCounts = new Map();
  const runs = streamRuns({ catalog, states, env: streamEnv(config, client, principal), config, log, client, requests });
  runner = new ReadRunner(ctx.out, {
    now: ctx.now,
    signal: ctx.signal,
    ...(ctx.heartbeatMs !== undefined ? { heartbeatMs: ctx.heartbeatMs } : {}),
    ...(ctx.progressMs !== undefined ? { progressMs: ctx.progressMs } : {}),
  });
  const outcome = await runner.run(runs).finally(() => client.close());
  for (const line of summaryLines(outcome.summaries, requests, client, ctx.usage?.())) log.info(`Sync summary: ${line}`);
  if (outcome.failed.length > 0) {
    log.error(`These streams did not sync completely: ${outcome.failed.join(', ')}. The others did; see the errors above.`);
  }
  return outcome.failed.length > 0 ? 1 : 0;
}
