import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import type { ConfiguredStream, JsonObject } from './messages.js';
import { createAjv, formatErrors } from '../common/json-schema.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a JSON file named on the command line; every failure names the flag and the file. */
export async function readJsonFile(flag: string, path: string): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ConfigError(`--${flag} ${path} is not a file.`);
    if (info.size > MAX_FILE_BYTES) {
      throw new ConfigError(`--${flag} ${path} is ${info.size} bytes; the limit is ${MAX_FILE_BYTES}. Is it the right file?`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot read --${flag} ${path}${code ? ` (${code})` : ''}. Check the path.`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`--${flag} ${path} is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
}

const catalogShape = {
  type: 'object',
  required: ['streams'],
  properties: { streams: { type: 'array' } },
};

const configuredStreamShape = {
  type: 'object',
  required: ['stream', 'sync_mode'],
  properties: {
    stream: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 256 }, json_schema: { type: 'object' } },
    },
    sync_mode: { enum: ['full_refresh', 'incremental'] },
    destination_sync_mode: { enum: ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'] },
    cursor_field: { type: 'array', items: { type: 'string' } },
    primary_key: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
  },
};

export type CatalogEntry =
  | { ok: true; index: number; stream: ConfiguredStream }
  | { ok: false; index: number; name: string; error: ConfigError };

/**
 * Checks the catalog container strictly and each configured stream on its own: one malformed entry fails
 * that stream (reported like any failed stream) and the others are still read.
 */
export function parseCatalog(raw: unknown): CatalogEntry[] {
  const ajv = createAjv();
  const container = ajv.compile(catalogShape);
  if (!container(raw)) throw new ConfigError(`Invalid configured catalog: ${formatErrors('catalog', container.errors)}.`);
  const entry = ajv.compile<ConfiguredStream>(configuredStreamShape);
  const seen = new Set<string>();
  return (raw as { streams: unknown[] }).streams.map((item, index): CatalogEntry => {
    const root = `catalog.streams[${index}]`;
    const name = nameOf(item) ?? `#${index}`;
    if (!entry(item)) {
      return { ok: false, index, name, error: new ConfigError(`Invalid configured stream ${JSON.stringify(name)}: ${formatErrors(root, entry.errors)}.`) };
    }
    if (seen.has(item.stream.name)) {
      return { ok: false, index, name, error: new ConfigError(`${root}: stream "${name}" is configured twice; keep one entry.`) };
    }
    seen.add(item.stream.name);
    return { ok: true, index, stream: item };
  });
}

function nameOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const stream = (item as { stream?: unknown }).stream;
  if (typeof stream !== 'object' || stream === null) return undefined;
  const name = (stream as { name?: unknown }).name;
  return typeof name === 'string' ? name.slice(0, 256) : undefined;
}

const streamStateShape = {
  type: 'object',
  required: ['type', 'stream'],
  properties: {
    type: { const: 'STREAM' },
    stream: {
      type: 'object',
      required: ['stream_descriptor'],
      properties: {
        stream_descriptor: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1 }, namespace: { type: ['string', 'null'] } },
        },
        stream_state: { type: ['object', 'null'] },
      },
    },
  },
};

/** A stream's incoming state: its latest state object, null (reset), or why its entry could not be used. */
export type IncomingState = JsonObject | null | ConfigError;

/**
 * The `--state` file: a JSON array of per-stream state messages (the platform's format). An empty array or an
 * empty legacy object means "no state". GLOBAL and non-empty LEGACY state are refused with the fix, as is an
 * entry that names no stream. An entry of the wrong shape that does name its stream fails that stream only, so
 * the other streams still sync. Returns the latest entry per stream name (null = the platform reset that stream).
 */
export function parseStateFile(raw: unknown): Map<string, IncomingState> {
  const states = new Map<string, IncomingState>();
  if (raw === null) return states;
  if (!Array.isArray(raw)) {
    if (typeof raw === 'object' && Object.keys(raw as object).length === 0) return states;
    throw new ConfigError(
      'Invalid --state: expected a JSON array of per-stream state messages ' +
        '([{"type":"STREAM","stream":{"stream_descriptor":{"name":"expense_reports"},"stream_state":{...}}}]). ' +
        'Legacy whole-connector state is not supported: reset the connection state or convert it.',
    );
  }
  const validate = createAjv().compile<{ stream: { stream_descriptor: { name: string }; stream_state?: JsonObject | null } }>(streamStateShape);
  raw.forEach((item: unknown, index) => {
    if (typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'GLOBAL') {
      throw new ConfigError(`state[${index}] is GLOBAL state, which this source never emits. Reset the connection state.`);
    }
    if (!validate(item)) {
      const problem = `Invalid --state: ${formatErrors(`state[${index}]`, validate.errors)}.`;
      const name = stateStreamName(item);
      if (name === undefined) throw new ConfigError(problem);
      states.set(name, new ConfigError(`${problem} Reset the state of stream "${name}" to read it from the configured start.`));
      return;
    }
    states.set(item.stream.stream_descriptor.name, item.stream.stream_state ?? null);
  });
  return states;
}

function stateStreamName(item: unknown): string | undefined {
  const stream = typeof item === 'object' && item !== null ? (item as { stream?: unknown }).stream : undefined;
  const descriptor = typeof stream === 'object' && stream !== null ? (stream as { stream_descriptor?: unknown }).stream_descriptor : undefined;
  const name = typeof descriptor === 'object' && descriptor !== null ? (descriptor as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name.slice(0, 256) : undefined;
}

