import { describe, expect, it } from 'vitest';
import { acceptanceConfig, FIXTURE_BASE, FIXTURE_TENANT, parseAcceptanceConfig, repoJson, repoText } from './config.js';

// The loader of acceptance-test-config.yml must refuse what CAT refuses at high strictness, so a weakened yaml
// cannot silently turn acceptance tests into skips.
const VALID = repoText('integration_tests/acceptance-test-config.yml');

describe('acceptance-test-config.yml', () => {
  it('loads at high strictness with every mandatory suite', () => {
    const config = acceptanceConfig();
    expect(config.test_strictness_level).toBe('high');
    for (const suite of ['spec', 'connection', 'discovery', 'basic_read', 'full_refresh', 'incremental'] as const) expect(config[suite].length, suite).toBeGreaterThan(0);
    const [basic] = config.basic_read;
    expect(basic?.expect_records).toEqual({ path: 'integration_tests/expected_records.jsonl', exact_order: false, extra_fields: false, extra_records: true });
    expect(basic?.empty_streams.map((s) => s.name)).toEqual(['expense_delegators', 'company_card_transactions', 'receipt_images']);
    expect(basic?.ignored_fields['reports_detail']?.map((f) => f.name)).toEqual(['ReportModifiedBefore']);
    expect(basic?.validate_stream_statuses).toBe(true);
    expect(config.incremental[0]?.future_state_path).toBe('integration_tests/abnormal_state.json');
    expect(config.spec[0]?.previous_connector_version).toBe('0.1.0');
  });

  it('refuses a missing mandatory suite', () => {
    const without = VALID.replace(/\n  full_refresh:\n(    .*\n)+/, '\n');
    expect(without).not.toContain('full_refresh');
    expect(() => parseAcceptanceConfig(without)).toThrow(/acceptance_tests\.full_refresh is missing/);
  });

  it('accepts a bypassed suite only with a reason', () => {
    const bypassed = VALID.replace(/\n  full_refresh:\n(    .*\n)+/, '\n  full_refresh:\n    bypass_reason: "no"\n');
    expect(parseAcceptanceConfig(bypassed).bypassed).toEqual({ full_refresh: 'no' });
    expect(() => parseAcceptanceConfig(VALID.replace(/\n  full_refresh:\n(    .*\n)+/, '\n  full_refresh:\n    bypass_reason: ""\n'))).toThrow(/full_refresh\.bypass_reason is missing or empty/);
  });

  it('refuses an empty stream or ignored field without a bypass_reason', () => {
    const noReason = VALID.replace(/(- name: "receipt_images"\n)\s+bypass_reason: .*\n/, '$1');
    expect(() => parseAcceptanceConfig(noReason)).toThrow(/empty_streams\[2\]\.bypass_reason is missing/);
    const emptyReason = VALID.replace(/(- name: "ReportModifiedBefore"\n\s+bypass_reason: ).*\n/, '$1"  "\n');
    expect(() => parseAcceptanceConfig(emptyReason)).toThrow(/ignored_fields\.reports_detail\[0\]\.bypass_reason is missing or empty/);
  });

  it('refuses a custom basic_read catalog, a missing expect_records and a missing future_state', () => {
    const custom = VALID.replace('        expect_records:', '        configured_catalog_path: "integration_tests/configured_catalog.json"\n        expect_records:');
    expect(() => parseAcceptanceConfig(custom)).toThrow(/configured_catalog_path is not allowed/);
    const noExpect = VALID.replace(/        expect_records:\n(          .*\n)+/, '');
    expect(() => parseAcceptanceConfig(noExpect)).toThrow(/expect_records is required/);
    const noFuture = VALID.replace(/        future_state:\n(          .*\n)+/, '');
    expect(() => parseAcceptanceConfig(noFuture)).toThrow(/future_state is required/);
  });

  it('is lenient at low strictness, as CAT is', () => {
    const low = VALID.replace('test_strictness_level: high', 'test_strictness_level: low').replace(/\n  full_refresh:\n(    .*\n)+/, '\n');
    expect(parseAcceptanceConfig(low).full_refresh).toEqual([]);
  });

  it('describes the tenant scripts/integration-fixtures.mjs generated the fixtures from', () => {
    const script = repoText('scripts/integration-fixtures.mjs');
    expect(script).toContain(`FIXTURE_TENANT = [${FIXTURE_TENANT.map((a) => `'${a}'`).join(', ')}]`.replace(`'--seed', '20261128'`, `'--seed', FIXTURE_SEED`));
    expect(script).toContain(`FIXTURE_SEED = '${FIXTURE_TENANT[1]}'`);
    expect(script).toContain(`FIXTURE_BASE = '${FIXTURE_BASE}'`);
    expect(JSON.stringify(repoJson('integration_tests/sample_config.json'))).toContain(FIXTURE_BASE);
  });
});
