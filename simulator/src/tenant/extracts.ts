import { DAY_MS, formatTimestamp } from '../format.js';
import { Rng, hash } from '../random.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Extracts v1: a few extract definitions, each with a job history. Jobs are numbered per definition
 * (0 = oldest); the API lists only the LAST 100, newest first. `--extract-jobs N` jobs exist at start-up,
 * spread over [--from, --to]; /_sim/mutate `newJobs` adds one per definition, stamped now.
 *
 * Status: the newest job may still be running (Queued or In Process: no stop-time, no file-link); every
 * older job has finished: Completed / Complete (both spellings occur in the docs) or Failed (no file).
 * Times use the three forms of the doc samples: `2010-01-13T18:30:02Z`, `2010-01-12T18:30:01`,
 * `2011-08-25T14:25:22.58`.
 */

export const EXTRACT_DEFINITIONS = [
  'Standard Accounting Extract',
  'European Extract',
  'Asian Extract',
  'AMEX Remittance - US',
  'Cash Advance & Card Extract',
] as const;

/** As in the doc sample, some job-links lack the /job suffix. */
export function jobLinkHasSuffix(d: number): boolean {
  return d !== 1 && d !== 2;
}

export const JOB_LIST_LIMIT = 100;

export function definitionId(t: Tenant, d: number): string {
  return t.referenceId(TAG.extractDefinition, d, 34);
}

export function definitionIndex(t: Tenant, id: string): number | undefined {
  return t.memo('extractDefinitionIndex', () => new Map(EXTRACT_DEFINITIONS.map((_, d) => [definitionId(t, d), d]))).get(id);
}

export function jobId(t: Tenant, d: number, s: number): string {
  return t.extractJobIds.encode(d, s);
}

/** The mutable part: how many jobs each definition has and when the added ones started. */
export class ExtractState {
  private readonly totals: number[];
  private readonly added = new Map<number, number>();

  constructor(readonly initialJobs: number) {
    this.totals = EXTRACT_DEFINITIONS.map(() => initialJobs);
  }

  total(d: number): number {
    return this.totals[d] ?? 0;
  }

  /** Start of an added job (s ≥ initialJobs), or undefined. */
  addedStart(d: number, s: number): number | undefined {
    return this.added.get(d * 0x100000 + s);
  }

  /** Append a job to definition d starting at startMs; returns its sequence number. */
  add(d: number, startMs: number): number {
    const s = this.total(d);
    this.totals[d] = s + 1;
    this.added.set(d * 0x100000 + s, startMs);
    return s;
  }
}

export interface JobFacts {
  readonly startMs: number;
  readonly stopMs: number | null;
  readonly status: string;
  readonly hasFile: boolean;
  /** 0: `…Z`, 1: no offset, whole seconds, 2: no offset with a fraction. */
  readonly style: number;
}

export function jobFacts(t: Tenant, d: number, s: number): JobFacts {
  const state = t.extracts;
  const total = state.total(d);
  const newest = s === total - 1;
  const rng = new Rng(hash(t.seed, TAG.extractJob, d, s));
  const style = rng.int(3);
  const duration = rng.range(5_000, 300_000);
  const completed = rng.chance(0.5) ? 'Completed' : 'Complete';
  const failed = rng.chance(0.07);
  const added = state.addedStart(d, s);
  let startMs: number;
  let running: string | null = null;
  if (added !== undefined) {
    startMs = added;
    if (newest) running = 'Queued';
  } else {
    const { fromMs, toMs } = t.config;
    const step = Math.max(60_000, (toMs - fromMs) / Math.max(1, state.initialJobs));
    startMs = Math.floor(fromMs + (s + 0.5) * step + (rng.float() - 0.5) * Math.min(step, DAY_MS) * 0.5);
    // The newest start-up job of the first definition is always still running.
    if (newest && (d === 0 || rng.chance(0.3))) running = d === 0 || rng.chance(0.5) ? 'In Process' : 'Queued';
  }
  if (style !== 2) startMs = Math.floor(startMs / 1000) * 1000;
  if (running !== null) return { startMs, stopMs: null, status: running, hasFile: false, style };
  const stopMs = style === 2 ? startMs + duration : Math.floor((startMs + duration) / 1000) * 1000;
  return { startMs, stopMs, status: failed ? 'Failed' : completed, hasFile: !failed, style };
}

export function formatJobTime(ms: number, style: number): string {
  const text = formatTimestamp(ms);
  if (style === 0) return `${text.slice(0, 19)}Z`;
  if (style === 1) return text.slice(0, 19);
  return text;
}

/** Semantic job element (missing elements → null). */
export interface JobRecord {
  readonly id: string;
  readonly 'status-link': string;
  readonly 'start-time': string;
  readonly 'stop-time': string | null;
  readonly status: string;
  readonly 'file-link': string | null;
}

export function definitionUrl(t: Tenant, d: number, base: string): string {
  return `${base}/api/expense/extract/v1.0/${definitionId(t, d)}`;
}

export function jobRecord(t: Tenant, d: number, s: number, base: string): JobRecord {
  const facts = jobFacts(t, d, s);
  const url = `${definitionUrl(t, d, base)}/job/${jobId(t, d, s)}`;
  return {
    id: url,
    'status-link': `${url}/status`,
    'start-time': formatJobTime(facts.startMs, facts.style),
    'stop-time': facts.stopMs === null ? null : formatJobTime(facts.stopMs, facts.style),
    status: facts.status,
    'file-link': facts.hasFile ? `${url}/file` : null,
  };
}

/** Sequence numbers of the listed jobs: the last 100, newest first. */
export function listedJobs(t: Tenant, d: number): number[] {
  const total = t.extracts.total(d);
  const out: number[] = [];
  for (let s = total - 1; s >= Math.max(0, total - JOB_LIST_LIMIT); s--) out.push(s);
  return out;
}

/** (definition, sequence) of a job id that is still listed, or undefined. */
export function jobRef(t: Tenant, d: number, id: string): number | undefined {
  const parts = t.extractJobIds.decode(id);
  if (parts === null || parts.hi !== d) return undefined;
  const total = t.extracts.total(d);
  return parts.lo < total && parts.lo >= total - JOB_LIST_LIMIT ? parts.lo : undefined;
}

export interface DefinitionRecord {
  readonly id: string;
  readonly 'job-link': string;
  readonly name: string;
}

export function definitionRecord(t: Tenant, d: number, base: string): DefinitionRecord {
  const url = definitionUrl(t, d, base);
  return { id: url, 'job-link': jobLinkHasSuffix(d) ? `${url}/job` : url, name: EXTRACT_DEFINITIONS[d] ?? '' };
}
