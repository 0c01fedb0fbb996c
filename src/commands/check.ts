import { loadSpec } from '../assets.js';
import { DEFAULT_RETRY_POLICY } from '../concur/retry.js';
import { buildClient, grantPrincipal } from '../concur-client.js';
import { loadConfig } from '../config/load.js';
import { createLog, type Context } from '../context.js';
import { toConnectorError } from '../failures.js';
import { ConnectorError } from '../protocol/errors.js';
import { readJsonFile } from '../protocol/files.js';
import { asUser, streamEnv } from '../streams/env.js';

/**
 * `check`: config, credentials and the role for the configured user, each failure as FAILED with what to do
 * (exit 0, as the platform expects). Outages and throttling are not the user's fault: TRACE and exit 1.
 */
export async function check(ctx: Context, configPath: string): Promise<number> {
  const log = createLog(ctx);
  try {
    const config = loadConfig(await readJsonFile('config', configPath), loadSpec(), ctx.now(), ctx.redactor);
    for (const warning of config.unknownFields) log.warn(warning);
    // check must answer quickly: the platform waits on it synchronously (docs/concur-api.md#check-and-exit-codes).
    const client = buildClient(ctx, config, log, { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, maxAttemptsRateLimited: 3, maxRetryAfterMs: 10_000 });
    await client.authenticate(ctx.signal);
    // The same user parameter a read sends.
    const env = streamEnv(config, client, grantPrincipal(config));
    await client.getJson('/api/v3.0/expense/reports', { limit: 1, user: asUser(env, config.user) }, ctx.signal);
    await ctx.out.write({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } });
    return 0;
  } catch (caught) {
    const error = toConnectorError(caught);
    if (error instanceof ConnectorError && error.failureType === 'config_error') {
      await ctx.out.write({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: error.message } });
      return 0;
    }
    throw error;
  }
}
