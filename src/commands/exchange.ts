import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { loadSpec } from '../assets.js';
import type { AccessToken } from '../concur/auth.js';
import { DEFAULT_RETRY_POLICY } from '../concur/retry.js';
import { buildClient } from '../concur-client.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { createLog, type Context } from '../context.js';
import { toConnectorError } from '../failures.js';
import { ConfigError } from '../protocol/errors.js';
import { readJsonFile } from '../protocol/files.js';
import type { JsonObject } from '../protocol/messages.js';

/**
 * `exchange`: one token request, then the config to keep, written to `outputPath` (owner-only, replaced whole):
 * the same options with the refresh token Concur issued and its data center's token URL. A company connection
 * keeps its grant (with the refresh token beside the request token, which may then lapse); a password becomes
 * a refresh-token grant, so the password need not be stored. The platform does this itself through CONTROL
 * messages; a `docker run` or PyAirbyte user has nobody to do it, hence this command.
 */
export async function exchange(ctx: Context, configPath: string, outputPath: string): Promise<number> {
  const log = createLog(ctx);
  const given = await readJsonFile('config', configPath);
  const config = loadConfig(given, loadSpec(), ctx.now(), ctx.redactor);
  for (const warning of config.unknownFields) log.warn(warning);
  const client = buildClient(ctx, config, log, { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, maxAttemptsRateLimited: 3 }, { controlRefreshToken: false });
  let token: AccessToken;
  try {
    token = await client.authenticate(ctx.signal);
  } catch (error) {
    throw toConnectorError(error);
  }
  if (token.refreshToken === undefined) {
    throw new ConfigError('Concur issued no refresh token for these credentials, so there is nothing to keep: your Concur app may not be allowed the refresh_token grant (ask SAP Concur to enable it).');
  }
  // The file as the user wrote it (loadConfig checked it is an object), not with every spec default spelt out.
  const kept = keptConfig(given as JsonObject, config, token.refreshToken, `${token.geolocation}/oauth2/v0/token`);
  await writeConfigFile(outputPath, kept);
  const until = token.refreshExpiresAt === undefined ? 'about six months' : `until ${new Date(token.refreshExpiresAt).toISOString().slice(0, 10)}`;
  log.info(
    `Wrote ${outputPath}: credentials auth_type "${(kept['credentials'] as JsonObject)['auth_type'] as string}" with a refresh token valid ${until} (each sync renews it), ` +
      `token_url ${token.geolocation}/oauth2/v0/token (the token's data center). Use that file as the config from now on; it holds secrets, so it is readable by you only.`,
  );
  return 0;
}

function keptConfig(given: JsonObject, config: ResolvedConfig, refreshToken: string, tokenUrl: string): JsonObject {
  const kept = structuredClone(given);
  const { grant } = config;
  kept['credentials'] =
    grant.kind === 'company'
      ? { ...(kept['credentials'] as JsonObject), refresh_token: refreshToken }
      : { auth_type: 'refresh_token', client_id: grant.clientId, client_secret: grant.clientSecret, refresh_token: refreshToken };
  kept['token_url'] = tokenUrl;
  return kept;
}

/** The whole file or nothing: written beside the target, then renamed over it. */
async function writeConfigFile(path: string, config: JsonObject): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new ConfigError(`Cannot write --output ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check the path and that its folder is writable.`, { cause: error });
  }
}
