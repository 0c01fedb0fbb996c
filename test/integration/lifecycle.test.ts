import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { records, statuses, type CliResult, type Message } from '../helpers/run-cli.js';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { read, simConfig } from './support.js';

// A deprecated API says so when read; an API that is gone (410), missing (404) or not permitted (403)
// ends its stream INCOMPLETE with a config_error naming the replacement or the role, and the others go on.

const STREAMS = ['expense_reports', 'expense_attendees', 'list_items', 'locations', 'company_card_transactions', 'extract_definitions', 'user_information'] as const;

const traceOf = (messages: Message[], stream: string) =>
  messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR' && m.trace.error.stream_descriptor?.name === stream)?.trace.error as
    | { message: string; failure_type: string }
    | undefined;
const warnings = (messages: Message[]) => messages.filter((m) => m.type === 'LOG' && m.log.level === 'WARN').map((m) => String(m.log.message));

describe('deprecated and decommissioned APIs, missing roles', () => {
  let sim: Simulator;
  let result: CliResult;

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '5', '--reports', '40', '--users', '5', '--decommissioned', 'attendees', '--decommissioned', 'list-items', '--decommissioned', 'user-v1']);
    await sim.setFaults(['deny-admin:path=/api/expense/extract']);
    result = await read(sim, { streams: STREAMS, config: simConfig(sim, { user_information_api: 'user_v1' }) });
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('exits non-zero because some streams failed, after reading every stream', () => {
    expect(result.code).toBe(1);
    for (const stream of STREAMS) expect(statuses(result.messages, stream)[0]).toBe('STARTED');
  });

  it.each([
    ['expense_attendees', /Attendees v4/],
    ['list_items', /List Item v4/],
    ['user_information', /identity_v4_1/],
  ])('%s (410 Gone): INCOMPLETE with a config_error naming the replacement', (stream, replacement) => {
    expect(statuses(result.messages, stream).at(-1)).toBe('INCOMPLETE');
    const error = traceOf(result.messages, stream);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toMatch(replacement);
    expect(records(result.messages, stream)).toEqual([]);
  });

  it('extract_definitions (403 without the role): INCOMPLETE with a config_error naming the role', () => {
    expect(statuses(result.messages, 'extract_definitions').at(-1)).toBe('INCOMPLETE');
    const error = traceOf(result.messages, 'extract_definitions');
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toMatch(/Web Services Administrator|Company Administrator/);
  });

  it('the other streams complete with their records, deprecated ones with a WARN naming the replacement', () => {
    for (const stream of ['expense_reports', 'locations', 'company_card_transactions']) {
      expect(statuses(result.messages, stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(records(result.messages, stream).length).toBeGreaterThan(0);
    }
    const warned = warnings(result.messages);
    expect(warned.some((w) => w.includes('locations') && /Localities v5/.test(w))).toBe(true);
    expect(warned.some((w) => w.includes('company_card_transactions') && /Cards v4/.test(w))).toBe(true);
  });

  it("Concur's own x-api-warn/sunset headers are logged once per endpoint", () => {
    const headerWarnings = warnings(result.messages).filter((w) => /sunset/i.test(w) && /\/api\/v3\.0\/common\/locations/.test(w));
    expect(headerWarnings).toHaveLength(1);
  });
});
