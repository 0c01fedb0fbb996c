import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/protocol/errors.js';
import { parseCatalog, parseStateFile, readJsonFile } from '../../../src/protocol/files.js';

const dir = mkdtempSync(join(tmpdir(), 'files-test-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const configured = (name: string, sync_mode = 'full_refresh') => ({
  stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] },
  sync_mode,
  destination_sync_mode: 'append',
});

describe('readJsonFile', () => {
  it('reads JSON', async () => {
    expect(await readJsonFile('config', file('ok.json', '{"a":1}'))).toEqual({ a: 1 });
  });
  it('names the flag and the path when the file is missing', async () => {
    await expect(readJsonFile('config', join(dir, 'nope.json'))).rejects.toThrow(/--config .*nope\.json.*ENOENT/);
  });
  it('names the flag when the JSON is broken', async () => {
    await expect(readJsonFile('catalog', file('bad.json', '{"a":'))).rejects.toThrow(/--catalog .* is not valid JSON/);
  });
  it('refuses a directory', async () => {
    await expect(readJsonFile('state', dir)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('parseCatalog', () => {
  it('accepts valid entries and isolates invalid ones', () => {
    const entries = parseCatalog({
      streams: [configured('a'), configured('b', 'INVALID'), { stream: {} }, configured('a'), configured('c', 'incremental')],
    });
    expect(entries.map((e) => e.ok)).toEqual([true, false, false, false, true]);
    const [, invalid, nameless, duplicate] = entries;
    expect(invalid?.ok === false && invalid.error.message).toMatch(/catalog\.streams\[1\]\.sync_mode: must be one of "full_refresh", "incremental"/);
    expect(nameless?.ok === false && nameless.error.message).toMatch(/catalog\.streams\[2\]\.stream\.name: is required/);
    expect(duplicate?.ok === false && duplicate.error.message).toMatch(/configured twice/);
  });
  it.each([[null], [[]], [{}], [{ streams: 'x' }]])('refuses a catalog without a streams array: %j', (raw) => {
    expect(() => parseCatalog(raw)).toThrow(/catalog/);
  });
});

describe('parseStateFile', () => {
  const entry = (name: string, state: unknown) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: state } });
  it('keeps the latest state per stream', () => {
    const states = parseStateFile([entry('a', { cursor: '1' }), entry('b', null), entry('a', { cursor: '2' })]);
    expect(states.get('a')).toEqual({ cursor: '2' });
    expect(states.get('b')).toBeNull();
  });
  it.each([[[]], [{}], [null]])('treats %j as no state', (raw) => {
    expect(parseStateFile(raw).size).toBe(0);
  });
  it('refuses GLOBAL state with the fix', () => {
    expect(() => parseStateFile([{ type: 'GLOBAL', global: {} }])).toThrow(/GLOBAL.*Reset/);
  });
  it('refuses legacy whole-connector state', () => {
    expect(() => parseStateFile({ expense_reports: { cursor: 'x' } })).toThrow(/JSON array of per-stream state/);
  });
  it('names the broken entry', () => {
    expect(() => parseStateFile([entry('a', {}), { type: 'STREAM', stream: { stream_state: {} } }])).toThrow(/state\[1\]\.stream\.stream_descriptor: is required/);
    // An entry that names its stream fails that stream only (the others still sync).
    const states = parseStateFile([{ type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: 'x' } }, entry('b', { cursor: '1' })]);
    expect(states.get('a')).toBeInstanceOf(ConfigError);
    expect(String((states.get('a') as Error).message)).toMatch(/state\[0\]\.stream\.stream_state.*Reset the state of stream "a"/);
    expect(states.get('b')).toEqual({ cursor: '1' });
  });
});
