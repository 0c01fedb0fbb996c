import { parseCli, USAGE, type SimulatorOptions } from './args.js';
import { Directory } from './auth/principals.js';
import { TokenStore } from './auth/tokens.js';
import { FaultEngine } from './faults.js';
import { RequestLog, Stats } from './request-log.js';
import { Router } from './router.js';
import { allRoutes } from './routes/index.js';
import { closeListener, createRequestHandler, startListener, type RunningListener, type ServerDeps } from './server.js';
import { Tenant } from './tenant/tenant.js';
import type { Topology } from './topology.js';

/**
 * Composition root and the only module that touches `process`: parse flags, build the
 * tenant, start the listener(s), print the listening line, run until SIGTERM/SIGINT.
 * Resolves to the exit code (0 after a signal, 2 for bad flags, 1 if binding fails).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const command = parseCli(argv);
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'error') {
    process.stderr.write(`concur-simulator: ${command.message}\nRun 'concur-simulator --help' for usage.\n`);
    return 2;
  }
  const options = command.options;
  const diagnostics = options.verbose ? (line: string): void => void process.stderr.write(`[concur-simulator] ${line}\n`) : null;

  const started = performance.now();
  const tenant = new Tenant({
    seed: options.seed,
    users: options.users,
    reports: options.reports,
    entriesPerReport: options.entriesPerReport,
    fromMs: options.fromMs,
    toMs: options.toMs,
    adminLogin: options.adminLogin,
    userLogin: options.userLogin,
    locations: options.locations,
    tripsPerUser: options.tripsPerUser,
    extractJobs: options.extractJobs,
  });
  diagnostics?.(`tenant: ${tenant.users.length} users, ${tenant.reportCount} reports built in ${Math.round(performance.now() - started)} ms`);

  const { listeners, error } = await startServers(options, tenant, diagnostics);
  if (error !== null) {
    process.stderr.write(`concur-simulator: cannot listen on ${options.host}:${options.port}: ${error}\n`);
    await Promise.all(listeners.map(closeListener));
    return 1;
  }
  const primary = listeners.find((l) => l.info.name === 'primary');
  const secondary = listeners.find((l) => l.info.name === 'secondary');
  const line: Record<string, unknown> = { event: 'listening', url: primary?.info.baseUrl };
  if (secondary !== undefined) line['secondaryUrl'] = secondary.info.baseUrl;
  line['pid'] = process.pid;
  process.stdout.write(`${JSON.stringify(line)}\n`);

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  diagnostics?.(`${signal}: shutting down`);
  await Promise.all(listeners.map(closeListener));
  return 0;
}

async function startServers(
  options: SimulatorOptions,
  tenant: Tenant,
  diagnostics: ((line: string) => void) | null,
): Promise<{ listeners: RunningListener[]; error: string | null }> {
  const directory = new Directory(tenant, options, Date.now() + options.requestTokenTtlSeconds * 1000);
  const tokens = new TokenStore(options.tokenTtlSeconds, options.companyId);
  tokens.registerRefresh(options.refreshToken, directory.userPrincipal(0), Date.now());
  const faults = new FaultEngine(options.faults);
  const log = new RequestLog();
  const stats = new Stats();
  const topology: Topology = { secondary: null };
  const router = new Router(
    allRoutes({
      tenant,
      directory,
      tokens,
      faults,
      log,
      stats,
      topology,
      maxLimit: options.maxLimit,
      v2ListCap: options.v2ListCap,
      companyId: options.companyId,
    }),
  );
  const deps: ServerDeps = {
    router,
    tokens,
    faults,
    log,
    stats,
    auth: { badTokenStatus: options.expiredTokenStatus },
    decommissioned: new Set(options.decommissioned),
    diagnostics,
  };
  const listeners: RunningListener[] = [];
  try {
    // The secondary ("home data center") starts first so code-16 answers can name it.
    if (options.geoRedirect) {
      const secondary = await startListener('secondary', options.host, 0, (info) => createRequestHandler(deps, info));
      listeners.push(secondary);
      topology.secondary = secondary.info;
    }
    listeners.push(await startListener('primary', options.host, options.port, (info) => createRequestHandler(deps, info)));
  } catch (error) {
    return { listeners, error: error instanceof Error ? error.message : String(error) };
  }
  return { listeners, error: null };
}
