import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, statuses, type CliResult } from '../helpers/run-cli.js';
import { assertRecordsValid, schemaOf } from '../helpers/records.js';
import { acceptanceConfig, repoText, startFixtureTenant, withBaseUrl, type FixtureTenant, type Json } from './config.js';
import {
  compareExpectedRecords,
  discover,
  discoveredCatalog,
  groupByStream,
  keyValues,
  nameOfState,
  read,
  recordMessages,
  streamStates,
  type AirbyteStream,
  type ConfiguredCatalog,
  type RecordMessage,
} from './support.js';

// CAT TestBasicRead, per basic_read test of acceptance-test-config.yml. At high strictness the catalog is every
// discovered stream minus the declared empty_streams, all in full refresh. One read serves every rule.
const { basic_read: tests } = acceptanceConfig();

describe.each(tests.map((test, i) => ({ test, title: `basic_read[${i}] ${test.config_path}` })))('$title (CAT TestBasicRead)', ({ test }) => {
  const emptyNames = test.empty_streams.map((s) => s.name);
  let tenant: FixtureTenant;
  let config: Json;
  let discovered: AirbyteStream[];
  let catalog: ConfiguredCatalog;
  let result: CliResult;
  let records: RecordMessage[];
  let byStream: Map<string, RecordMessage[]>;

  beforeAll(async () => {
    tenant = await startFixtureTenant();
    config = tenant.config(test.config_path);
    discovered = await discover(config);
    catalog = discoveredCatalog(discovered, emptyNames);
    result = await read(config, catalog);
    records = recordMessages(result.messages);
    byStream = groupByStream(records);
  }, 180_000);
  afterAll(async () => {
    await tenant?.stop();
  });

  it('declares only empty streams that exist in the catalog, each with a reason', () => {
    const names = discovered.map((s) => s.name);
    for (const empty of test.empty_streams) {
      expect(names, `empty_streams entry ${empty.name}`).toContain(empty.name);
      expect(empty.bypass_reason.trim()).not.toBe('');
    }
    expect(catalog.streams.length).toBe(discovered.length - emptyNames.length);
    expect(catalog.streams.every((s) => s.sync_mode === 'full_refresh')).toBe(true);
  });

  it('finishes with exit 0 and no error trace', () => {
    expect(errors(result.messages)).toEqual([]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
  });

  it('reads at least one record, and records for every stream not declared empty (_validate_empty_streams)', () => {
    expect(records.length).toBeGreaterThan(0);
    const without = catalog.streams.map((s) => s.stream.name).filter((name) => !byStream.has(name));
    expect(without, 'streams without records').toEqual([]);
    const unexpected = [...byStream.keys()].filter((name) => !catalog.streams.some((s) => s.stream.name === name));
    expect(unexpected, 'records of streams that were not configured').toEqual([]);
  });

  it.runIf(test.validate_schema)('emits only records valid against their stream schema, strict integers, no undeclared top-level field (validate_schema, fail_on_extra_columns)', () => {
    expect(test.fail_on_extra_columns, 'assertRecordsValid always applies fail_on_extra_columns').toBe(true);
    for (const stream of catalog.streams) {
      const name = stream.stream.name;
      // assertRecordsValid validates against schemas/<stream>.json: it must be the schema discover announced.
      expect(stream.stream.json_schema, `${name} discovered schema`).toEqual(schemaOf(name));
      assertRecordsValid(name, (byStream.get(name) ?? []).map((r) => r.data));
    }
  });

  it.runIf(test.validate_schema)('gives every record at least one field of its schema', () => {
    for (const stream of catalog.streams) {
      const declared = new Set(Object.keys(stream.stream.json_schema.properties ?? {}));
      for (const record of byStream.get(stream.stream.name) ?? []) {
        expect(Object.keys(record.data).some((field) => declared.has(field)), `${record.stream}: ${JSON.stringify(record.data).slice(0, 200)}`).toBe(true);
      }
    }
  });

  it.runIf(test.validate_primary_keys_data_type)('has scalar, not-all-null primary key values (validate_primary_keys_data_type)', () => {
    for (const stream of catalog.streams) {
      const pk = stream.primary_key ?? stream.stream.source_defined_primary_key;
      if (!pk || pk.length === 0) continue;
      for (const record of byStream.get(stream.stream.name) ?? []) {
        const values = keyValues(record.data, pk);
        for (const value of values) expect(typeof value === 'object' && value !== null, `${record.stream} key ${JSON.stringify(values)}`).toBe(false);
        expect(values.every((v) => v === null || v === undefined), `${record.stream} key all null: ${JSON.stringify(record.data).slice(0, 200)}`).toBe(false);
      }
    }
  });

  it.runIf(test.validate_data_points)('has a non-null value for every schema field in some record (validate_data_points)', () => {
    for (const stream of catalog.streams) {
      const list = byStream.get(stream.stream.name) ?? [];
      const empty = Object.keys(stream.stream.json_schema.properties ?? {}).filter((field) => list.every((r) => r.data[field] === null || r.data[field] === undefined));
      expect(empty, stream.stream.name).toEqual([]);
    }
  });

  it.runIf(test.expect_records !== undefined)('produces every expected record (expect_records)', () => {
    const flags = test.expect_records!;
    const expected = repoText(flags.path)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => withBaseUrl(JSON.parse(line) as RecordMessage, tenant.url));
    expect(expected.length).toBeGreaterThan(0);
    expect(compareExpectedRecords(catalog, byStream, expected, flags, test.ignored_fields)).toEqual([]);
  });

  it.runIf(test.validate_stream_statuses)('emits STARTED, RUNNING…, COMPLETE for every configured stream (validate_stream_statuses)', () => {
    for (const stream of catalog.streams) {
      const seen = statuses(result.messages, stream.stream.name);
      expect(seen.length, `${stream.stream.name}: ${seen.join(',')}`).toBeGreaterThanOrEqual(3);
      expect(seen[0], stream.stream.name).toBe('STARTED');
      expect(seen.at(-1), stream.stream.name).toBe('COMPLETE');
      expect(seen.slice(1, -1).every((s) => s === 'RUNNING'), `${stream.stream.name}: ${seen.join(',')}`).toBe(true);
    }
  });

  it.runIf(test.validate_state_messages)('emits per-stream STATE with sourceStats, at least one per configured stream (validate_state_messages)', () => {
    const all = streamStates(result.messages);
    expect(all.length).toBeGreaterThanOrEqual(catalog.streams.length);
    for (const state of all) {
      expect(state['type'], JSON.stringify(state).slice(0, 200)).toBe('STREAM');
      expect((state['stream'] as Json | undefined)?.['stream_descriptor'], 'not LEGACY state').toBeDefined();
      expect(state['sourceStats'], JSON.stringify(state).slice(0, 200)).toBeDefined();
      expect(typeof (state['sourceStats'] as Json)['recordCount']).toBe('number');
    }
    // Stricter than CAT: every configured stream checkpoints at least once.
    const withState = new Set(all.map(nameOfState));
    expect(catalog.streams.map((s) => s.stream.name).filter((name) => !withState.has(name)), 'streams without STATE').toEqual([]);
  });

  it.runIf(test.validate_state_messages)('counts in sourceStats.recordCount exactly the records since the stream’s previous STATE (project rule)', () => {
    const since = new Map<string, number>();
    const wrong: string[] = [];
    for (const message of result.messages) {
      if (message.type === 'RECORD') since.set(message['record'].stream, (since.get(message['record'].stream) ?? 0) + 1);
      if (message.type === 'STATE') {
        const name = nameOfState(message['state']) as string;
        const counted = Number(message['state'].sourceStats?.recordCount);
        if (counted !== (since.get(name) ?? 0)) wrong.push(`${name}: recordCount ${counted}, ${since.get(name) ?? 0} records since the previous state`);
        since.set(name, 0);
      }
    }
    expect(wrong).toEqual([]);
    const uncounted = [...since].filter(([, n]) => n > 0).map(([name, n]) => `${name}: ${n} records after its last STATE`);
    expect(uncounted).toEqual([]);
  });

  it('detects a missing, changed or extra-field expected record (the comparison itself)', () => {
    const stream = catalog.streams.find((s) => (byStream.get(s.stream.name)?.length ?? 0) > 1 && (s.stream.source_defined_primary_key?.length ?? 0) > 0) as (typeof catalog.streams)[number];
    const name = stream.stream.name;
    const real = byStream.get(name)?.[0] as RecordMessage;
    const flags = { exact_order: false, extra_fields: false, extra_records: true };
    const field = Object.keys(real.data).find((f) => typeof real.data[f] === 'string') as string;
    const check = (data: Json) => compareExpectedRecords(catalog, byStream, [{ stream: name, data, emitted_at: 0 }], flags, {});
    expect(check(real.data)).toEqual([]);
    expect(check({ ...real.data, [field]: `${String(real.data[field])}-changed` }).join()).toMatch(/differs/);
    const { [field]: _dropped, ...fewer } = real.data;
    expect(check(fewer).join(), 'extra_fields: no ⇒ an actual field the expected record lacks is a difference').toMatch(/differs/);
    expect(compareExpectedRecords(catalog, byStream, [{ stream: name, data: fewer, emitted_at: 0 }], { ...flags, extra_fields: true }, {})).toEqual([]);
    const pk = stream.stream.source_defined_primary_key as string[][];
    const key = pk[0]?.[0] as string;
    expect(check({ ...real.data, [key]: 'no-such-key' }).join()).toMatch(/was not produced/);
    expect(compareExpectedRecords(catalog, byStream, [{ stream: name, data: real.data, emitted_at: 0 }], { ...flags, extra_records: false }, {}).join()).toMatch(/extra_records is off/);
    expect(compareExpectedRecords(catalog, byStream, [{ stream: name, data: { ...real.data, [field]: 'x' }, emitted_at: 0 }], flags, { [name]: [{ name: field }] })).toEqual([]);
  });

  it('emits an ERROR trace for an unknown stream with sync_mode INVALID (test_airbyte_trace_message_on_failure)', async () => {
    const bad = {
      streams: [
        {
          stream: { name: '__AIRBYTE__stream_that_does_not_exist', json_schema: { type: 'object', properties: { f1: { type: 'string' } } }, supported_sync_modes: ['full_refresh'] },
          sync_mode: 'INVALID',
          destination_sync_mode: 'INVALID',
        },
      ],
    };
    const failed = await read(config, bad);
    expect(errors(failed.messages).length, failed.stdout.slice(0, 2000)).toBeGreaterThanOrEqual(1);
  });

  it.runIf(emptyNames.length > 0)('reads the declared empty streams as empty and complete (the bypass is honest)', async () => {
    const empty = await read(config, discoveredCatalog(discovered.filter((s) => emptyNames.includes(s.name))));
    expect(errors(empty.messages)).toEqual([]);
    expect(empty.code).toBe(0);
    const got = groupByStream(recordMessages(empty.messages));
    for (const name of emptyNames) {
      expect(got.get(name)?.length ?? 0, `${name} is declared empty but produced records`).toBe(0);
      expect(statuses(empty.messages, name).at(-1), `${name} final status`).toBe('COMPLETE');
      expect(streamStates(empty.messages, name).length, `${name} states`).toBeGreaterThan(0);
    }
  });
});
