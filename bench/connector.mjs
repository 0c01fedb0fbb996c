// The connector as the benchmark runs it: the built CLI (bin/source-concur.js) in a process of its own, with a
// config and a configured catalog written to files, exactly as a platform would start it. Nothing of its code is
// imported; what the benchmark knows of a read is its output (records counted, the "Sync summary: " LOG lines).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorRequests, measure, streamRequests } from './processes.mjs';

/** The simulator's default Web Services Administrator (simulator/README.md). */
export const PASSWORD_CREDENTIALS = {
  auth_type: 'password',
  client_id: 'sim-client-id',
  client_secret: 'sim-client-secret',
  username: 'admin@example.com',
  password: 'sim-admin-password',
};

/** The simulator's default company request token: the one credential that reaches every stream. */
export const COMPANY_CREDENTIALS = {
  auth_type: 'company',
  client_id: 'sim-client-id',
  client_secret: 'sim-client-secret',
  company_id: '7a3c9f1e-4b2d-4e8a-9c61-5f0d2b8e4a17',
  company_request_token: 'sim-company-request-token',
};

export function writeJson(dir, name, value) {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/**
 * Node's flags for the connector, from the first line of bin/source-concur.js (`#!/usr/bin/env -S node …`): the
 * bench starts it with node explicitly (to load its usage probe), with the flags a user's run gets.
 */
const CONNECTOR_NODE_FLAGS = readFileSync(new URL('../bin/source-concur.js', import.meta.url), 'utf8').split('\n')[0].split(/\s+/).filter((word) => word.startsWith('--'));

/** A config for a server at `url` (its token endpoint), with the given credentials and overrides. */
export function connectorConfig(url, credentials, overrides = {}) {
  return { credentials, token_url: `${url}/oauth2/v0/token`, ...overrides };
}

/** The streams `discover` offers with a config (a file path). */
export async function discover(configPath) {
  const run = await measure(['bin/source-concur.js', 'discover', '--config', configPath], { nodeArgs: CONNECTOR_NODE_FLAGS });
  const line = run.lines.find((l) => l.includes('"CATALOG"'));
  if (run.code !== 0 || !line) throw new Error(`discover exited ${run.code}\n${run.lines.slice(-5).join('\n')}\n${run.stderr}`);
  return JSON.parse(line).catalog.streams;
}

/** A configured catalog of the named streams, full refresh (a first sync). */
export function catalogOf(discovered, names) {
  return {
    streams: names.map((name) => {
      const stream = discovered.find((s) => s.name === name);
      if (!stream) throw new Error(`discover does not offer ${name}`);
      return { stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' };
    }),
  };
}

/**
 * One `read`, measured (see processes.mjs measure for the options). Adds the connector's own request count
 * (all streams) and its per-stream summary. Throws when the read fails, unless `allowFailure` (or a stop) says
 * a failure is part of the run.
 */
export async function read(configPath, catalogPath, { allowFailure = false, ...options } = {}) {
  const run = await measure(['bin/source-concur.js', 'read', '--config', configPath, '--catalog', catalogPath], { ...options, nodeArgs: [...CONNECTOR_NODE_FLAGS, ...(options.nodeArgs ?? [])] });
  const requests = connectorRequests(run.lines);
  if (!allowFailure && options.stopAfterMs === undefined && (run.code !== 0 || requests === undefined)) {
    const tail = run.lines.filter((l) => !l.includes('"STATE"')).slice(-8).join('\n');
    throw new Error(`connector read exited ${run.code} ${run.signal ?? ''}\n${tail}\n${run.stderr.slice(-2000)}`);
  }
  return { ...run, connectorRequests: requests, streams: streamRequests(run.lines) };
}
