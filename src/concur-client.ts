import { packageVersion } from './assets.js';
import { TokenProvider, type Principal } from './concur/auth.js';
import { ConcurClient } from './concur/client.js';
import { createTransport } from './concur/http.js';
import { AdaptiveLimiter } from './concur/limiter.js';
import type { RetryPolicy } from './concur/retry.js';
import { XmlParser } from './concur/xml-parser.js';
import type { ResolvedConfig } from './config/load.js';
import { isSafeUrl } from './config/urls.js';
import type { Context, Log } from './context.js';
import { ConfigError } from './protocol/errors.js';
import { controlConfigMessage, type JsonObject } from './protocol/messages.js';

export interface ClientHooks {
  onRateLimited?: (resumeAt: number | undefined) => void;
  /** Whether a refresh token Concur issues goes to the platform (CONTROL); `exchange` writes it to a file instead. */
  controlRefreshToken?: boolean;
}

/** The Concur client for one command: the config's grant, URLs and limits, its secrets registered for redaction. */
export function buildClient(ctx: Context, config: ResolvedConfig, log: Log, retry: RetryPolicy, hooks: ClientHooks = {}): ConcurClient {
  const describeUrl = (url: string): string => ctx.redactor.redactUrl(url);
  const assertSafeUrl = (url: string, what: string): void => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`The ${what} "${describeUrl(url).slice(0, 200)}" is not a URL.`);
    }
    if (!isSafeUrl(parsed)) throw new ConfigError(`Refusing to send credentials to ${parsed.protocol}//${parsed.host} (${what}): only https is allowed, and http for localhost.`);
  };
  const transport = createTransport({ maxSockets: config.maxConcurrency, describeUrl });
  const tokens = new TokenProvider({
    grant: config.grant,
    tokenUrl: config.tokenUrl,
    tokenUrlExplicit: config.tokenUrlExplicit,
    transport,
    timeoutMs: config.timeoutMs,
    now: ctx.now,
    random: ctx.random,
    sleep: ctx.sleep,
    onSecret: (value) => ctx.redactor.add(value),
    signal: ctx.signal,
    onRefreshToken: (refreshToken) => {
      if (hooks.controlRefreshToken === false) return;
      // Concur issued a new refresh token: hand the platform the updated config so the next sync can use it.
      const updated = structuredClone(config.raw) as unknown as JsonObject;
      (updated['credentials'] as JsonObject)['refresh_token'] = refreshToken;
      void ctx.out.write(controlConfigMessage(updated, ctx.now())).catch(() => undefined);
      log.info('Concur issued a new refresh token; the updated config was sent to the platform (CONTROL message).');
    },
    assertSafeUrl,
    describeUrl,
    log,
  });
  if (config.baseUrl) assertSafeUrl(config.baseUrl, 'base URL');
  return new ConcurClient({
    tokens,
    xml: new XmlParser(),
    transport,
    limiter: new AdaptiveLimiter(config.maxConcurrency),
    baseUrlOverride: config.baseUrl,
    timeoutMs: config.timeoutMs,
    retry,
    now: ctx.now,
    random: ctx.random,
    sleep: ctx.sleep,
    log,
    describeUrl,
    ...(hooks.onRateLimited ? { onRateLimited: hooks.onRateLimited } : {}),
    userAgent: `source-concur/${packageVersion()}`,
  });
}

/** What a grant says of its token, before any is requested (a refresh token says only once exchanged). */
export function grantPrincipal(config: ResolvedConfig): Principal | undefined {
  return config.grant.kind === 'password' ? 'user' : config.grant.kind === 'company' ? 'company' : undefined;
}
