import { loadSpec } from '../assets.js';
import { DEFAULT_RETRY_POLICY } from '../concur/retry.js';
import { buildClient, grantPrincipal } from '../concur-client.js';
import { describeStream } from '../catalog.js';
import { loadConfig } from '../config/load.js';
import { createLog, type Context } from '../context.js';
import { toConnectorError } from '../failures.js';
import { readJsonFile } from '../protocol/files.js';
import { streamEnv } from '../streams/env.js';
import { STREAMS } from '../streams/index.js';

/**
 * `discover`: the streams these credentials can read. Whether the token is a user's or the company's decides a few
 * (Identity v4.1 answers company tokens only); a password or company grant says so itself, a refresh token only
 * once exchanged, so only that grant costs a token request here.
 */
export async function discover(ctx: Context, configPath: string): Promise<number> {
  const log = createLog(ctx);
  const config = loadConfig(await readJsonFile('config', configPath), loadSpec(), ctx.now(), ctx.redactor);
  const client = buildClient(ctx, config, log, DEFAULT_RETRY_POLICY);
  let principal = grantPrincipal(config);
  if (principal === undefined) {
    try {
      principal = (await client.authenticate(ctx.signal)).principal;
    } catch (error) {
      throw toConnectorError(error);
    }
  }
  const env = streamEnv(config, client, principal);
  await ctx.out.write({ type: 'CATALOG', catalog: { streams: STREAMS.filter((def) => def.unreadable?.(env) === undefined).map(describeStream) } });
  return 0;
}
