import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';

// Measurements of the hostile-conditions suite for `npm run test:faults` (scripts/fault-report.mjs).
// With FAULT_REPORT_FILE set, each call appends one JSON line with what a test actually measured: records read
// against the ground truth, faults that fired, planted secrets found in outputs, hostile inputs checked. Unset
// (a plain `npm test`), every call is a no-op. The tests' own assertions stay what decides pass or fail; the
// measurements are taken before them, so a failing run is reported with its real figures too.

const FILE = process.env['FAULT_REPORT_FILE'];
const ENABLED = FILE !== undefined && FILE !== '';

interface Where {
  /** The suite (test file) as the report names it. */
  suite: string;
  /** The stream family, input kind or output kind the figures belong to. */
  family: string;
  /** The fault or case; the current test's title when omitted. */
  scenario?: string;
}

export type FaultReportEntry = Where &
  (
    | { kind: 'records'; stream: string; expected: number; read: number; lost: number; duplicated: number; unexpected: number; different: number }
    | { kind: 'fault'; specs: number; fired: number }
    | { kind: 'secrets'; outputs: number; chars: number; searched: number; hits: number }
    | { kind: 'hostile'; checked: number; handled: number; refused?: number }
  );

/** The current test's title (without its describe blocks), or '' outside a test (beforeAll). */
export function currentTest(): string {
  return (expect.getState().currentTestName ?? '').split(' > ').at(-1) ?? '';
}

export function report(entry: FaultReportEntry): void {
  if (!ENABLED) return;
  const line = { ...entry, scenario: entry.scenario ?? currentTest(), test: expect.getState().currentTestName ?? '', pid: process.pid };
  // One short append per line: lines from parallel worker processes do not interleave.
  appendFileSync(FILE as string, `${JSON.stringify(line)}\n`);
}

interface RecordDifference {
  emitted: number;
  expected: number;
  lost: readonly unknown[];
  duplicated: readonly unknown[];
  unexpected: readonly unknown[];
  different: readonly unknown[];
}

/** One stream's read compared with the ground truth. */
export function reportRecords(where: Where, stream: string, d: RecordDifference): void {
  report({
    ...where,
    kind: 'records',
    stream,
    expected: d.expected,
    read: d.emitted,
    lost: d.lost.length,
    duplicated: d.duplicated.length,
    unexpected: d.unexpected.length,
    different: d.different.length,
  });
}

/** How often each of the planted values (and matches of the patterns) occurs in an output. */
export function occurrences(text: string, values: Iterable<string>, patterns: readonly RegExp[] = []): number {
  let n = 0;
  for (const value of values) if (value !== '') n += text.split(value).length - 1;
  for (const pattern of patterns) n += text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;
  return n;
}

/** Hostile inputs checked in one test: by fast-check runs (`count`) or one case at a time. */
export class HostileTally {
  checked = 0;
  handled = 0;
  refused = 0;
  outputs = 0;
  chars = 0;
  searched = 0;
  hits = 0;

  constructor(readonly where: Required<Where>) {}

  /** Wraps a fast-check predicate: every run is one input checked, handled when the predicate holds. */
  count<A extends unknown[], R>(predicate: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      this.checked += 1;
      const result = predicate(...args);
      if (result !== false) this.handled += 1;
      return result;
    };
  }

  /** An input was refused with the documented error (rather than accepted). */
  refusedOne(): void {
    this.refused += 1;
  }

  /** A message scanned for planted secrets; `hits` is how often they occur in it. */
  scanned(message: string, searched: number, hits: number): void {
    this.outputs += 1;
    this.chars += message.length;
    this.searched = Math.max(this.searched, searched);
    this.hits += hits;
  }

  report(): void {
    const { suite, family, scenario } = this.where;
    report({ suite, family, scenario, kind: 'hostile', checked: this.checked, handled: this.handled, refused: this.refused });
    if (this.outputs > 0) report({ suite, family: `${family} (error messages)`, scenario, kind: 'secrets', outputs: this.outputs, chars: this.chars, searched: this.searched, hits: this.hits });
  }
}

let active: HostileTally | undefined;

/** The tally of the property test running now (hostileRuns), for helpers that note refusals and scans. */
export function activeTally(): HostileTally | undefined {
  return active;
}

/** Runs a synchronous property test (fc.assert) with a tally; reported even when the property fails. */
export function hostileRuns(suite: string, family: string, run: (tally: HostileTally) => void): void {
  const tally = new HostileTally({ suite, family, scenario: currentTest() });
  active = tally;
  try {
    run(tally);
  } finally {
    active = undefined;
    tally.report();
  }
}

/**
 * One hostile input: handled when `run` completes (its assertions are the documented behaviour). `run` may
 * return whether the input was refused with the documented error (true) or accepted (false).
 */
export async function hostileCase(suite: string, family: string, run: () => Promise<boolean | void>): Promise<void> {
  let handled = false;
  let refused: boolean | void = undefined;
  try {
    refused = await run();
    handled = true;
  } finally {
    report({ suite, family, kind: 'hostile', checked: 1, handled: handled ? 1 : 0, ...(typeof refused === 'boolean' ? { refused: refused ? 1 : 0 } : {}) });
  }
}
