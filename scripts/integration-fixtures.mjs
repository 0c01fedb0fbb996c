#!/usr/bin/env node
// Regenerates the Airbyte fixture files in integration_tests/ from the built connector and a seeded simulator:
//   configured_catalog.json  every discovered stream, incremental where it can be
//   abnormal_state.json      a far-future cursor for every incremental stream
//   expected_records.jsonl   the first records of every stream read from the seeded simulator
// The simulator's base URL inside records is written as http://127.0.0.1:8080 (sample_config.json's), so the
// file does not depend on the port a run happens to get. Run after changing streams: node scripts/integration-fixtures.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const FIXTURE_SEED = '20261128';
export const FIXTURE_TENANT = ['--seed', FIXTURE_SEED, '--reports', '60', '--users', '8'];
export const FIXTURE_BASE = 'http://127.0.0.1:8080';
const PER_STREAM = 3;
/** Token-user streams: a company token owns no personal data (acceptance-test-config.yml empty_streams). */
export const EMPTY_STREAMS = ['expense_delegators', 'company_card_transactions', 'receipt_images'];

function lines(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/source-concur.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = [];
    createInterface({ input: child.stdout }).on('line', (line) => out.push(JSON.parse(line)));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`source-concur ${args[0]} exited ${code}`))));
  });
}

const simulator = spawn(process.execPath, ['simulator/bin/concur-simulator.js', '--port', '0', ...FIXTURE_TENANT], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => createInterface({ input: simulator.stdout }).once('line', (line) => resolve(JSON.parse(line).url)));
try {
  const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
  // sample_config.json, pointed at this simulator.
  const config = JSON.parse(readFileSync('integration_tests/sample_config.json', 'utf8').replaceAll(FIXTURE_BASE, url));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const catalog = (await lines(['discover', '--config', join(dir, 'config.json')])).find((m) => m.type === 'CATALOG').catalog;
  const configured = {
    streams: catalog.streams.map((stream) => {
      const incremental = stream.supported_sync_modes.includes('incremental');
      return { stream, sync_mode: incremental ? 'incremental' : 'full_refresh', destination_sync_mode: incremental ? 'append_dedup' : 'overwrite', primary_key: stream.source_defined_primary_key, ...(incremental ? { cursor_field: stream.default_cursor_field } : {}) };
    }),
  };
  writeFileSync('integration_tests/configured_catalog.json', JSON.stringify(configured, null, 2) + '\n');
  const future = configured.streams
    .filter((s) => s.sync_mode === 'incremental')
    .map((s) => ({ type: 'STREAM', stream: { stream_descriptor: { name: s.stream.name }, stream_state: { cursor: '2999-12-31T00:00:00.000Z' } } }));
  writeFileSync('integration_tests/abnormal_state.json', JSON.stringify(future, null, 2) + '\n');

  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ streams: configured.streams.map((s) => ({ ...s, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })) }));
  const messages = await lines(['read', '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')]);
  const kept = new Map();
  const out = [];
  for (const m of messages) {
    if (m.type !== 'RECORD') continue;
    const n = kept.get(m.record.stream) ?? 0;
    if (n >= PER_STREAM) continue;
    kept.set(m.record.stream, n + 1);
    out.push(JSON.stringify({ stream: m.record.stream, data: m.record.data, emitted_at: 1764288000000 }).replaceAll(url, FIXTURE_BASE));
  }
  const missing = configured.streams.map((s) => s.stream.name).filter((name) => !kept.has(name) && !EMPTY_STREAMS.includes(name));
  if (missing.length > 0) throw new Error(`no records for ${missing.join(', ')}`);
  writeFileSync('integration_tests/expected_records.jsonl', out.join('\n') + '\n');
  console.log(`wrote integration_tests/: ${configured.streams.length} streams, ${future.length} future states, ${out.length} expected records`);
} finally {
  simulator.kill('SIGTERM');
}
