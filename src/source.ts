import { loadRecordChecks, loadSchema, loadSpec, packageVersion } from './assets.js';
import { didYouMean } from './common/closest.js';
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { TokenProvider, type AccessToken, type Principal } from './concur/auth.js';
import { ConcurClient } from './concur/client.js';
import { XmlParser } from './concur/xml-parser.js';
import { createTransport } from './concur/http.js';
import { AdaptiveLimiter } from './concur/limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './concur/retry.js';
import { loadConfig, type ResolvedConfig } from './config/load.js';
import { isSafeUrl } from './config/urls.js';
import type { StreamDef } from './engine/define.js';
import type { WindowPlan } from './engine/cursor.js';
import { readStreamBatches } from './engine/read-stream.js';
import { compileShaper } from './engine/shape.js';
import { toConnectorError } from './failures.js';
import { ConfigError, ConnectorError, describeFailure } from './protocol/errors.js';
import { parseCatalog, parseStateFile, readJsonFile, type IncomingState } from './protocol/files.js';
import {
  controlConfigMessage,
  errorTraceMessage,
  logMessage,
  type AirbyteStream,
  type JsonObject,
  type LogLevel,
  type RecordChange,
} from './protocol/messages.js';
import type { Redactor } from './protocol/redact.js';
import { ReadRunner, type ReadItem, type StreamRun, type StreamSummary } from './protocol/run-read.js';
import type { MessageWriter } from './protocol/writer.js';
import type { StreamEnv } from './streams/env.js';
import { STREAMS, findStream } from './streams/index.js';

export interface Context {
  out: MessageWriter;
  redactor: Redactor;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  debug: boolean;
  /** Milliseconds without output after which the last state is re-emitted (platform heartbeat). */
  heartbeatMs?: number;
  /** How often a running stream logs its progress. */
  progressMs?: number;
  /** CPU seconds and peak resident memory of this process so far, for the end-of-sync summary. */
  usage?: () => { cpuSeconds: number; peakRssMb: number };
}

export interface Log {
  readonly debugging: boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(ctx: Context): Log {
  const emit = (level: LogLevel, message: string): void => {
    void ctx.out.write(logMessage(level, message)).catch(() => undefined);
  };
  return {
    get debugging() {
      return ctx.debug;
    },
    debug: (message) => {
      if (ctx.debug) emit('DEBUG', message);
    },
    info: (message) => emit('INFO', message),
    warn: (message) => emit('WARN', message),
    error: (message) => emit('ERROR', message),
  };
}

export async function spec(ctx: Context): Promise<number> {
  await ctx.out.write({ type: 'SPEC', spec: loadSpec() });
  return 0;
}

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
    // The same user parameter a read sends (none for the token's own user, see streams/env.ts asUser).
    const own = config.grant.kind === 'password' && config.user.toLowerCase() === config.grant.username.toLowerCase();
    await client.getJson('/api/v3.0/expense/reports', { limit: 1, user: own ? undefined : config.user }, ctx.signal);
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

/** What a grant says of its token, before any is requested. */
function grantPrincipal(config: ResolvedConfig): Principal | undefined {
  return config.grant.kind === 'password' ? 'user' : config.grant.kind === 'company' ? 'company' : undefined;
}

function streamEnv(config: ResolvedConfig, client: ConcurClient, principal: Principal | undefined): StreamEnv {
  return {
    client,
    user: config.user,
    reportStatuses: config.reportStatuses,
    extractDefinitionIds: config.extractDefinitionIds,
    includeInactiveDelegators: config.includeInactiveDelegators,
    userInformationApi: config.userInformationApi,
    locationCountries: config.locationCountries,
    approvalStatusCodes: config.approvalStatusCodes,
    reportDateRange: config.reportDateRange,
    tokenUser: config.grant.kind === 'password' ? config.grant.username.toLowerCase() : undefined,
    principal,
  };
}

/** The catalog entry of a stream, derived from its definition and schema, so it cannot claim what it cannot do. */
export function describeStream(def: StreamDef<StreamEnv>): AirbyteStream {
  const cursor = def.cursor;
  return {
    name: def.name,
    json_schema: loadSchema(def.name),
    supported_sync_modes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: def.primaryKey.map((key) => [key]),
    ...(cursor ? { source_defined_cursor: true, default_cursor_field: [cursor.field], is_resumable: true } : { is_resumable: false }),
  };
}

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
  const requests = new Map<string, { requests: number; retries: number }>();
  const schemas = new Map<string, Record<string, unknown> | undefined>();
  // A parent that is not a stream of its own (the v2 report list) has no schema file.
  const schemaOf = (name: string): Record<string, unknown> | undefined => {
    if (!schemas.has(name)) schemas.set(name, findStream(name) ? loadSchema(name) : undefined);
    return schemas.get(name);
  };
  const env = streamEnv(config, client, principal);
  const runs: StreamRun[] = catalog.map((entry): StreamRun => {
    if (!entry.ok) return { name: entry.name, initialState: null, failure: entry.error };
    const name = entry.stream.stream.name;
    const incoming = states.get(name) ?? null;
    const initialState = incoming instanceof ConfigError ? null : incoming;
    const def = findStream(name);
    if (!def) {
      return {
        name,
        initialState,
        failure: new ConfigError(
          `Stream "${name}" is not offered by this source${didYouMean(name, STREAMS.map((stream) => stream.name))}. Refresh the source schema (discover) and select only listed streams.`,
        ),
      };
    }
    const unreadable = def.unreadable?.(env);
    if (unreadable !== undefined) return { name, initialState, failure: new ConfigError(`Stream ${name} cannot be read with this config: ${unreadable}`) };
    let incremental = entry.stream.sync_mode === 'incremental';
    if (incremental && !def.cursor) {
      log.warn(`Stream ${name} supports full refresh only; reading it in full.`);
      incremental = false;
    }
    // A full refresh does not use its state, so an unusable one only stops an incremental stream.
    if (incoming instanceof ConfigError && incremental) return { name, initialState, failure: incoming };
    let startedRequests = 0;
    let startedRetries = 0;
    return {
      name,
      initialState,
      read: (signal) => {
        ({ requests: startedRequests, retries: startedRetries } = client.stats);
        return readItems(def, { env, config, log, incremental, state: initialState, signal, client, requests, schemaOf });
      },
      progress: () => `${client.stats.requests - startedRequests} requests, ${client.stats.retries - startedRetries} retries`,
    };
  });

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

interface StreamRead {
  env: StreamEnv;
  config: ResolvedConfig;
  log: Log;
  incremental: boolean;
  state: JsonObject | null;
  signal: AbortSignal;
  client: ConcurClient;
  requests: Map<string, { requests: number; retries: number }>;
  /** Stream schemas, each read from disk once per sync. */
  schemaOf: (name: string) => Record<string, unknown> | undefined;
}

async function* readItems(def: StreamDef<StreamEnv>, { env, config, log, incremental, state, signal, client, requests, schemaOf }: StreamRead): AsyncGenerator<ReadItem> {
  const before = { ...client.stats };
  if (def.deprecated) {
    log.warn(`Stream ${def.name} reads an API that SAP ${def.deprecated.decommissioned ? 'has decommissioned in some data centers' : 'has deprecated'} (${def.deprecated.since}); replacement: ${def.deprecated.replacement}. It may stop working when SAP switches it off.`);
  }
  try {
    const schema = schemaOf(def.name) ?? {};
    const shaper = compileShaper(def.name, schema, log, await loadRecordChecks(def.name, schema));
    const items = readStreamBatches(
      def,
      {
        options: env,
        signal,
        log,
        shaper,
        windows: windowPlan(def, config),
        concurrency: config.maxConcurrency,
        incremental,
        schemaFor: schemaOf,
      },
      state,
    );
    for await (const item of items) {
      if (item.kind === 'records') {
        // A record that fit its schema goes on as it is: most do, and a copy per record is measurable.
        const repaired = item.records.some(({ nulled }) => nulled.length > 0);
        yield {
          kind: 'records',
          records: repaired
            ? item.records.map(({ data, nulled }) =>
                nulled.length > 0 ? { data, changes: nulled.map((field): RecordChange => ({ field, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' })) } : { data },
              )
            : item.records,
        };
      } else if (item.kind === 'estimate') {
        yield { kind: 'estimate', rows: item.rows };
      } else {
        yield { kind: 'checkpoint', state: item.state };
      }
    }
  } catch (error) {
    throw toConnectorError(error, def.deprecated);
  } finally {
    requests.set(def.name, { requests: client.stats.requests - before.requests, retries: client.stats.retries - before.retries });
  }
}

/**
 * The date windows of a stream. The expense-report family follows modifications; when date_filter puts the range on
 * another report date, that date is filtered by the request instead and the windows cover the whole history.
 */
function windowPlan(def: StreamDef<StreamEnv>, config: ResolvedConfig): WindowPlan {
  let root = def;
  while (root.parent) root = root.parent.stream;
  const rangeElsewhere = root.name === 'expense_reports' && config.reportDateRange !== undefined;
  return {
    configStart: rangeElsewhere ? undefined : config.start,
    end: rangeElsewhere ? config.now : config.end,
    sliceDays: config.sliceDays,
    recordsPerCheckpoint: config.checkpointInterval,
    lookbackMs: config.lookbackMs,
  };
}

function buildClient(
  ctx: Context,
  config: ResolvedConfig,
  log: Log,
  retry: RetryPolicy,
  hooks: {
    onRateLimited?: (resumeAt: number | undefined) => void;
    /** Whether a refresh token Concur issues goes to the platform (CONTROL); `exchange` writes it to a file instead. */
    controlRefreshToken?: boolean;
  } = {},
): ConcurClient {
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

/** One line per stream, then the totals: each becomes a LOG message of its own, readable in any log viewer. */
function summaryLines(
  summaries: readonly StreamSummary[],
  requests: ReadonlyMap<string, { requests: number; retries: number }>,
  client: ConcurClient,
  usage: { cpuSeconds: number; peakRssMb: number } | undefined,
): string[] {
  const lines = summaries.map(
    (s) => {
      const http = requests.get(s.stream) ?? { requests: 0, retries: 0 };
      return `${s.stream}: ${s.status}, ${s.records} records, ${s.states} states, ${http.requests} requests, ${http.retries} retries, ${s.seconds.toFixed(1)} s`;
    },
  );
  const { retries, throttled } = client.stats;
  lines.push(`all streams: ${client.stats.requests} requests, ${retries} retries (${throttled} throttled)`);
  if (usage) lines.push(`process: ${usage.cpuSeconds.toFixed(2)} s CPU, peak RSS ${usage.peakRssMb.toFixed(0)} MB`);
  return lines;
}

/** A failure outside any stream, as one ERROR trace. */
export async function reportFailure(ctx: Context, error: unknown): Promise<void> {
  await ctx.out.write(errorTraceMessage(describeFailure(toConnectorError(error)), ctx.now()));
}
