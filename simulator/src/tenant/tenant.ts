import { seed32 } from '../random.js';
import { ExtractState } from './extracts.js';
import { IdentityEdits } from './identity-edits.js';
import { ConcurIdCodec, HexIdCodec, opaqueId } from './ids.js';
import { allocateColumns, writeReport, type ReportColumns, type ReportPlan } from './report-columns.js';
import { planReport } from './reports.js';
import { TAG } from './tags.js';
import { TripState } from './trips.js';
import { buildUsers, type User } from './users.js';

export interface TenantConfig {
  /** The --seed value (any non-negative safe integer). */
  readonly seed: number;
  /** Regular users (user1…userN); the admin comes on top. */
  readonly users: number;
  readonly reports: number;
  /** Mean entries per report (each report varies deterministically; some have none). */
  readonly entriesPerReport: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly adminLogin: string;
  readonly userLogin: string;
  /** Locations v3 table size (default 500). */
  readonly locations: number;
  /** Itinerary trips per user at start-up (default 3). */
  readonly tripsPerUser: number;
  /** Extract jobs per definition at start-up (default 120). */
  readonly extractJobs: number;
}

/** Defaults of the newer tenant settings, for callers that build a TenantConfig by hand. */
export const TENANT_DEFAULTS = { locations: 500, tripsPerUser: 3, extractJobs: 120 } as const;

/** An entry changed after generation (added or edited by /_sim/mutate). */
export interface EntryOverride {
  readonly modifiedMs: number;
  /** Amount version: 0 = as generated; n = re-rolled by the n-th edit of the report. */
  readonly version: number;
}

/** Shared business guests in the attendee pool (see attendees.ts for the layout). */
export const SHARED_GUESTS = 20;
export const PRIVATE_GUESTS_PER_USER = 3;

/**
 * The simulated company. Holds only compact per-report arrays (≈60 bytes per report);
 * every record is rebuilt from (seed, indexes) when served.
 */
export class Tenant {
  readonly config: TenantConfig;
  /** 32-bit seed all hashes derive from. */
  readonly seed: number;
  readonly users: readonly User[];
  readonly reportIds: HexIdCodec;
  readonly entryIds: ConcurIdCodec;
  readonly itemizationIds: ConcurIdCodec;
  readonly allocationIds: ConcurIdCodec;
  readonly associationIds: ConcurIdCodec;
  readonly attendeeIds: ConcurIdCodec;
  readonly locationIds: ConcurIdCodec;
  readonly receiptImageIds: ConcurIdCodec;
  readonly extractJobIds: ConcurIdCodec;
  readonly tripIds: ConcurIdCodec;
  /** Trips added or edited by /_sim/mutate. */
  readonly trips: TripState;
  /** Extract job counts (jobs added by /_sim/mutate). */
  readonly extracts: ExtractState;
  /** Directory users edited by /_sim/mutate (Identity v4.1). */
  readonly identityEdits = new IdentityEdits();
  /** Reports generated at start-up (mutations append after these). */
  readonly initialReportCount: number;

  private readonly loginIndex: Map<string, number>;
  private count = 0;
  private columns: ReportColumns;
  private readonly overrides = new Map<number, EntryOverride>();
  private readonly referenceIds = new Map<number, string>();
  private readonly memos = new Map<string, unknown>();
  private mutations = 0;

  constructor(config: TenantConfig) {
    this.config = config;
    this.seed = seed32(config.seed);
    this.users = buildUsers({ seed: this.seed, users: config.users, adminLogin: config.adminLogin, userLogin: config.userLogin });
    this.loginIndex = new Map(this.users.map((u) => [u.loginId.toLowerCase(), u.index]));
    this.reportIds = new HexIdCodec(this.seed, TAG.report);
    this.entryIds = new ConcurIdCodec(this.seed, TAG.entry);
    this.itemizationIds = new ConcurIdCodec(this.seed, TAG.itemization);
    this.allocationIds = new ConcurIdCodec(this.seed, TAG.allocation);
    this.associationIds = new ConcurIdCodec(this.seed, TAG.association);
    this.attendeeIds = new ConcurIdCodec(this.seed, TAG.attendee);
    this.locationIds = new ConcurIdCodec(this.seed, TAG.locationCodec);
    this.receiptImageIds = new ConcurIdCodec(this.seed, TAG.receiptImage);
    this.extractJobIds = new ConcurIdCodec(this.seed, TAG.extractJob);
    this.tripIds = new ConcurIdCodec(this.seed, TAG.tripId);
    this.trips = new TripState(config.tripsPerUser, this.users.length);
    this.extracts = new ExtractState(config.extractJobs);

    this.columns = allocateColumns(Math.max(16, config.reports));

    for (let r = 0; r < config.reports; r++) {
      const plan = planReport(this, r);
      this.appendReport(plan);
    }
    this.initialReportCount = config.reports;
  }

  get reportCount(): number {
    return this.count;
  }

  /** Index of the user with this login (case-insensitive), if any. */
  userByLogin(login: string): number | undefined {
    return this.loginIndex.get(login.toLowerCase());
  }

  user(index: number): User {
    const user = this.users[index];
    if (user === undefined) throw new RangeError(`no user ${index}`);
    return user;
  }

  owner(r: number): number {
    return this.columns.owner[r] ?? 0;
  }
  state(r: number): number {
    return this.columns.state[r] ?? 0;
  }
  entryCount(r: number): number {
    return this.columns.entryCount[r] ?? 0;
  }
  version(r: number): number {
    return this.columns.version[r] ?? 0;
  }
  createMs(r: number): number {
    return this.columns.createMs[r] ?? Number.NaN;
  }
  submitMs(r: number): number {
    return this.columns.submitMs[r] ?? Number.NaN;
  }
  processingMs(r: number): number {
    return this.columns.processingMs[r] ?? Number.NaN;
  }
  paidMs(r: number): number {
    return this.columns.paidMs[r] ?? Number.NaN;
  }
  userDefinedMs(r: number): number {
    return this.columns.userDefinedMs[r] ?? Number.NaN;
  }
  /** Time by which the report's original entries were last touched (≤ modifiedMs). */
  entryLockMs(r: number): number {
    return this.columns.entryLockMs[r] ?? Number.NaN;
  }
  modifiedMs(r: number): number {
    return this.columns.modifiedMs[r] ?? Number.NaN;
  }

  entryOverride(r: number, k: number): EntryOverride | undefined {
    return this.overrides.get(entryKey(r, k));
  }

  /**
   * Id of a reference-data item (payment type, location, form, policy, list item…).
   * Memoised: a few hundred distinct values are served millions of times.
   */
  referenceId(tag: number, index: number, length: number): string {
    const key = (tag * 0x100_0000 + index) * 64 + length;
    let id = this.referenceIds.get(key);
    if (id === undefined) {
      id = opaqueId(this.seed, tag, index, length);
      this.referenceIds.set(key, id);
    }
    return id;
  }

  /** A small derived table (an id index of a configuration list), built once per tenant on first use. */
  memo<T>(key: string, make: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = make();
    this.memos.set(key, value);
    return value;
  }

  /** Attendee pool size: one employee attendee per user, shared guests, private guests. */
  get attendeeCount(): number {
    const u = this.users.length;
    return u + SHARED_GUESTS + PRIVATE_GUESTS_PER_USER * u;
  }

  /** Sequence number for the next /_sim/mutate call (drives its deterministic choices). */
  nextMutationIndex(): number {
    return this.mutations++;
  }

  /** Append a report (start-up or /_sim/mutate). Returns its index. */
  appendReport(plan: ReportPlan): number {
    if (this.count === this.columns.owner.length) this.columns = allocateColumns(this.columns.owner.length * 2, this.columns);
    const r = this.count++;
    writeReport(this.columns, r, plan);
    return r;
  }

  /** Edit a report header: bump its version and LastModifiedDate. Returns the new version. */
  touchReport(r: number, modifiedMs: number): number {
    const version = (this.columns.version[r] ?? 0) + 1;
    this.columns.version[r] = version;
    this.columns.modifiedMs[r] = modifiedMs;
    return version;
  }

  /** Add one entry to report r (stamped modifiedMs). Returns the new entry's index. */
  addEntry(r: number, modifiedMs: number): number {
    const k = this.columns.entryCount[r] ?? 0;
    if (k >= 0xffff) throw new RangeError('report has too many entries');
    this.columns.entryCount[r] = k + 1;
    this.overrides.set(entryKey(r, k), { modifiedMs, version: 0 });
    this.columns.modifiedMs[r] = modifiedMs;
    return k;
  }

  /**
   * Remove report r's last entry (with its itemizations, allocations and attendee links, which derive from it) and
   * stamp the report modifiedMs. Returns the removed entry's index. Only the last one: every other record keeps its
   * index, so its id and content stay as they were.
   */
  removeLastEntry(r: number, modifiedMs: number): number {
    const k = (this.columns.entryCount[r] ?? 0) - 1;
    if (k < 0) throw new RangeError('report has no entry to remove');
    this.columns.entryCount[r] = k;
    this.overrides.delete(entryKey(r, k));
    this.columns.modifiedMs[r] = modifiedMs;
    return k;
  }

  /** Re-roll an entry's amount (part of a report edit). */
  editEntry(r: number, k: number, modifiedMs: number, version: number): void {
    this.overrides.set(entryKey(r, k), { modifiedMs, version });
  }
}

function entryKey(r: number, k: number): number {
  return r * 0x10000 + k;
}
