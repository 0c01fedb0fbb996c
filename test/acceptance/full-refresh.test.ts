import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, type CliResult } from '../helpers/run-cli.js';
import { acceptanceConfig, startFixtureTenant, type FixtureTenant } from './config.js';
import { canonical, fullRefreshCatalog, groupByStream, keyOf, loadCatalog, read, recordMessages, withoutFields, type ConfiguredCatalog, type RecordMessage } from './support.js';

// CAT TestFullRefresh.test_sequential_reads, per full_refresh test of acceptance-test-config.yml: the configured
// catalog forced to full refresh is read twice, at least a second apart.
const { full_refresh: tests } = acceptanceConfig();

describe.each(tests.map((test, i) => ({ test, title: `full_refresh[${i}] ${test.configured_catalog_path}` })))('$title (CAT TestFullRefresh)', ({ test }) => {
  let tenant: FixtureTenant;
  let catalog: ConfiguredCatalog;
  let first: CliResult;
  let second: CliResult;

  beforeAll(async () => {
    tenant = await startFixtureTenant();
    const config = tenant.config(test.config_path);
    catalog = fullRefreshCatalog(loadCatalog(test.configured_catalog_path));
    first = await read(config, catalog);
    await sleep(1000);
    second = await read(config, catalog);
  }, 240_000);
  afterAll(async () => {
    await tenant?.stop();
  });

  it('reads every configured stream in full refresh, without errors, both times', () => {
    expect(catalog.streams.length).toBeGreaterThan(0);
    expect(catalog.streams.every((s) => s.sync_mode === 'full_refresh' && s.cursor_field === undefined)).toBe(true);
    for (const result of [first, second]) {
      expect(errors(result.messages)).toEqual([]);
      expect(result.code, result.stderr.slice(-2000)).toBe(0);
    }
  });

  it('has records in the first read, and every emitted_at of read 2 is after every emitted_at of read 1', () => {
    const one = recordMessages(first.messages);
    const two = recordMessages(second.messages);
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    const lastOfFirst = Math.max(...one.map((r) => r.emitted_at));
    const firstOfSecond = Math.min(...two.map((r) => r.emitted_at));
    expect(firstOfSecond).toBeGreaterThan(lastOfFirst);
  });

  it('produces in read 2 every record of read 1, per stream (by primary key, else whole record minus ignored_fields)', () => {
    const one = groupByStream(recordMessages(first.messages));
    const two = groupByStream(recordMessages(second.messages));
    const lost: string[] = [];
    for (const stream of catalog.streams) {
      const name = stream.stream.name;
      const pk = stream.primary_key ?? [];
      const ignored = (test.ignored_fields[name] ?? []).map((f) => f.name);
      const identity = (r: RecordMessage): string => (pk.length > 0 ? keyOf(r.data, pk) : canonical(withoutFields(r.data, ignored)));
      const later = new Set((two.get(name) ?? []).map(identity));
      const missing = (one.get(name) ?? []).map(identity).filter((id) => !later.has(id));
      if (missing.length > 0) lost.push(`${name}: ${missing.length} records of read 1 missing from read 2, e.g. ${missing.slice(0, 3).join(' ')}`);
    }
    expect(lost).toEqual([]);
  });
});
