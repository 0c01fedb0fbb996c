import { parseArgs } from 'node:util';
import { ConfigError } from './errors.js';

export type Command =
  | { kind: 'spec'; debug: boolean; ignored: string[] }
  | { kind: 'check'; config: string; debug: boolean; ignored: string[] }
  | { kind: 'discover'; config: string; debug: boolean; ignored: string[] }
  | { kind: 'read'; config: string; catalog: string; state?: string; debug: boolean; ignored: string[] }
  | { kind: 'exchange'; config: string; output: string; debug: boolean; ignored: string[] };

export const USAGE = `usage:
  source-concur spec
  source-concur check --config CONFIG.json
  source-concur discover --config CONFIG.json
  source-concur read --config CONFIG.json --catalog CATALOG.json [--state STATE.json]
  source-concur exchange --config CONFIG.json --output KEPT-CONFIG.json
      (asks Concur for a token once and writes the config to keep: a refresh token that lasts six months and is
       renewed by every sync, with the token's data center; outside the Airbyte platform nobody else keeps it)
options: --debug (log every request, secrets masked)`;

/**
 * Parses the Airbyte command line. Unknown flags are collected (and logged by the caller) rather than fatal:
 * the platform and PyAirbyte add flags over time, and refusing them would break syncs for no benefit.
 */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      catalog: { type: 'string' },
      state: { type: 'string' },
      output: { type: 'string' },
      debug: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const known = new Set(['config', 'catalog', 'state', 'output', 'debug']);
  const ignored = tokens.filter((t) => t.kind === 'option' && !known.has(t.name)).map((t) => (t.kind === 'option' ? t.rawName : ''));
  const debug = values.debug === true;
  const [verb, ...extra] = positionals;
  const text = (name: 'config' | 'catalog' | 'state' | 'output'): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new ConfigError(`--${name} needs a file path.\n${USAGE}`);
    return value;
  };
  const required = (name: 'config' | 'catalog' | 'output'): string => {
    const value = text(name);
    if (value === undefined) throw new ConfigError(`${verb} needs --${name} <file>.\n${USAGE}`);
    return value;
  };
  if (extra.length > 0) ignored.push(...extra);

  switch (verb) {
    case 'spec':
      return { kind: 'spec', debug, ignored };
    case 'check':
      return { kind: 'check', config: required('config'), debug, ignored };
    case 'discover':
      return { kind: 'discover', config: required('config'), debug, ignored };
    case 'read': {
      const state = text('state');
      return {
        kind: 'read',
        config: required('config'),
        catalog: required('catalog'),
        ...(state !== undefined ? { state } : {}),
        debug,
        ignored,
      };
    }
    case 'exchange':
      return { kind: 'exchange', config: required('config'), output: required('output'), debug, ignored };
    case undefined:
      throw new ConfigError(`No command given.\n${USAGE}`);
    default:
      throw new ConfigError(`Unknown command "${verb}".\n${USAGE}`);
  }
}
