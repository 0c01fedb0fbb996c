import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/assets.js';
import { loadConfig } from '../../../src/config/load.js';
import { parseCursorState, StateError } from '../../../src/engine/cursor.js';
import { ConfigError } from '../../../src/protocol/errors.js';
import { parseCatalog, parseStateFile } from '../../../src/protocol/files.js';
import { Redactor } from '../../../src/protocol/redact.js';
import { activeTally, hostileRuns, occurrences } from '../../helpers/fault-report.js';

// Hostile input: property-based tests over what users and the platform hand in (config, catalog,
// state). Whatever the shape, the result is a value or a ConfigError that names where the problem is, never
// another exception, and never a secret in the message. Seeded, so a failure reproduces.
// For `npm run test:faults`, each property counts its runs (tally.count around the predicate): inputs checked,
// handled (the predicate held), refused (a ConfigError/StateError), and the error messages scanned for secrets.
const SUITE = 'hostile input (property)';

const NOW = Date.UTC(2026, 11, 1, 8, 0);
const SEED = 20261201;
const RUNS = 400;
const spec = loadSpec();
const SECRETS = { client_secret: 'PLANTED-client-secret-7f3a', password: 'PLANTED-password-91c2' };
const valid = () => ({
  credentials: { auth_type: 'password', client_id: 'cid', client_secret: SECRETS.client_secret, username: 'jane@example.com', password: SECRETS.password },
  user: 'ALL',
});

/** Runs f; returns the ConfigError it threw (or undefined), and fails the property on any other exception. */
function outcome(f: () => unknown, expected: new (...args: never[]) => Error = ConfigError): Error | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    if (!(error instanceof expected)) throw new Error(`not a ${expected.name}: ${String(error)}`, { cause: error });
    activeTally()?.refusedOne();
    return error;
  }
}

const noSecret = (message: string): void => {
  activeTally()?.scanned(message, Object.keys(SECRETS).length, occurrences(message, Object.values(SECRETS)));
  for (const secret of Object.values(SECRETS)) expect(message).not.toContain(secret);
};

const hugeString = fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => 'x'.repeat(n));
const hostileValue = fc.oneof(fc.jsonValue(), hugeString, fc.constant(null), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(-1), fc.constant('INVALID'));
const TOP_LEVEL = Object.keys((spec.connectionSpecification['properties'] ?? {}) as Record<string, unknown>);
const CREDENTIAL_FIELDS = ['auth_type', 'client_id', 'client_secret', 'username', 'password', 'company_id', 'company_request_token', 'refresh_token'];

describe('config: property-based', () => {
  it('any JSON value is a config or a ConfigError', () => {
    hostileRuns(SUITE, 'config', (tally) =>
      fc.assert(
        fc.property(
          fc.jsonValue(),
          tally.count((raw) => {
            const error = outcome(() => loadConfig(raw, spec, NOW, new Redactor()));
            if (error) expect(error.message.length).toBeGreaterThan(10);
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });

  it('a valid config with one field set to a hostile value is accepted or refused naming that field, never leaking a secret', () => {
    hostileRuns(SUITE, 'config', (tally) =>
      fc.assert(
        fc.property(
          fc.constantFrom(...TOP_LEVEL),
          hostileValue,
          tally.count((field, value) => {
            const config: Record<string, unknown> = { ...valid(), [field]: value };
            const error = outcome(() => loadConfig(config, spec, NOW, new Redactor()));
            if (error) {
              expect(error.message).toContain(`config.${field}`);
              noSecret(error.message);
            }
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });

  it('credentials with a field replaced, removed or added are refused naming config.credentials…, never leaking a secret', () => {
    hostileRuns(SUITE, 'config', (tally) =>
      fc.assert(
        fc.property(
          fc.constantFrom(...CREDENTIAL_FIELDS),
          fc.oneof(hostileValue, fc.constant(undefined)),
          tally.count((field, value) => {
            const credentials: Record<string, unknown> = { ...valid().credentials };
            if (value === undefined) delete credentials[field];
            else credentials[field] = value;
            const error = outcome(() => loadConfig({ ...valid(), credentials }, spec, NOW, new Redactor()));
            if (error) {
              expect(error.message).toMatch(/config\.credentials/);
              noSecret(error.message);
            }
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });

  it('extra fields anywhere never break a valid config', () => {
    hostileRuns(SUITE, 'config', (tally) =>
      fc.assert(
        fc.property(
          fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !TOP_LEVEL.includes(k) && k !== '__proto__'), fc.jsonValue(), { maxKeys: 5 }),
          tally.count((extra) => {
            expect(outcome(() => loadConfig({ ...valid(), ...extra }, spec, NOW, new Redactor()))).toBeUndefined();
          }),
        ),
        { seed: SEED, numRuns: 200 },
      ),
    );
  });
});

const stream = (name: string, sync_mode: unknown = 'full_refresh') => ({ stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode, destination_sync_mode: 'overwrite' });

describe('catalog: property-based', () => {
  it('any JSON value is a list of entries or a ConfigError', () => {
    hostileRuns(SUITE, 'catalog', (tally) => fc.assert(fc.property(fc.jsonValue(), tally.count((raw) => void outcome(() => parseCatalog(raw)))), { seed: SEED, numRuns: RUNS }));
  });

  it('one hostile entry fails alone, named by its index; the good entries stay usable', () => {
    hostileRuns(SUITE, 'catalog', (tally) =>
      fc.assert(
        fc.property(
          fc.oneof(fc.jsonValue(), fc.constant(stream('x', 'INVALID')), fc.record({ stream: fc.jsonValue(), sync_mode: fc.jsonValue() })),
          fc.nat({ max: 2 }),
          tally.count((bad, at) => {
            const streams: unknown[] = [stream('expense_reports'), stream('list_items')];
            streams.splice(at, 0, bad);
            const entries = parseCatalog({ streams });
            expect(entries).toHaveLength(3);
            const good = entries.filter((e) => e.ok).map((e) => (e.ok ? e.stream.stream.name : ''));
            expect(good).toEqual(expect.arrayContaining(['expense_reports', 'list_items']));
            for (const entry of entries) if (!entry.ok) expect(entry.error.message).toContain(`catalog.streams[${entry.index}]`);
            if (entries.some((e) => !e.ok)) tally.refusedOne();
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });
});

describe('state: property-based', () => {
  it('any JSON value is a state map or a ConfigError', () => {
    hostileRuns(SUITE, 'state', (tally) => fc.assert(fc.property(fc.jsonValue(), tally.count((raw) => void outcome(() => parseStateFile(raw)))), { seed: SEED, numRuns: RUNS }));
  });

  it('state messages of the wrong shape are refused naming state[i]', () => {
    const message = fc.oneof(
      fc.record({ type: fc.constantFrom('STREAM', 'GLOBAL', 'LEGACY', 'INVALID'), stream: fc.jsonValue() }),
      fc.record({ type: fc.constant('STREAM'), stream: fc.record({ stream_descriptor: fc.record({ name: fc.jsonValue() }), stream_state: fc.jsonValue() }) }),
      fc.jsonValue(),
    );
    hostileRuns(SUITE, 'state', (tally) =>
      fc.assert(
        fc.property(
          fc.array(message, { maxLength: 4 }),
          tally.count((raw) => {
            let states: ReturnType<typeof parseStateFile> | undefined;
            const error = outcome(() => (states = parseStateFile(raw)));
            if (error) expect(error.message).toMatch(/state\[\d+\]/);
            // An entry that names its stream but is malformed fails that stream only, with the same kind of message.
            for (const value of states?.values() ?? []) if (value instanceof ConfigError) expect(value.message).toMatch(/state\[\d+\]/);
            if (!error && [...(states?.values() ?? [])].some((value) => value instanceof ConfigError)) tally.refusedOne();
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });

  it('any stream_state is a cursor, no cursor, or a StateError naming the stream and the path', () => {
    hostileRuns(SUITE, 'state', (tally) =>
      fc.assert(
        fc.property(
          fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.record({ cursor: fc.oneof(fc.jsonValue(), fc.date({ noInvalidDate: false }).map(String), hugeString) })),
          tally.count((raw) => {
            const error = outcome(() => parseCursorState('expense_reports', raw as Record<string, unknown>), StateError);
            if (error) expect(error.message).toContain('state for stream expense_reports: stream_state.cursor');
          }),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    );
  });
});
