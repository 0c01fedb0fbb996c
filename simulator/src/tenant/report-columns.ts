// The per-report columns of a tenant: one typed array per report field, indexed by report. The fields are listed
// once, here; allocating, growing and appending all follow this list, so a new field cannot be missed in one of them.

const COLUMNS = {
  owner: Uint32Array,
  state: Uint8Array,
  entryCount: Uint16Array,
  /** Header edits by /_sim/mutate (0 as generated). */
  version: Uint16Array,
  createMs: Float64Array,
  submitMs: Float64Array,
  processingMs: Float64Array,
  paidMs: Float64Array,
  userDefinedMs: Float64Array,
  /** Time by which the report's original entries were last touched (≤ modifiedMs). */
  entryLockMs: Float64Array,
  modifiedMs: Float64Array,
} as const;

export type ReportColumn = keyof typeof COLUMNS;
export type ReportColumns = { readonly [K in ReportColumn]: InstanceType<(typeof COLUMNS)[K]> };

/** Compact description of one report (what the per-report columns hold; a new report starts at version 0). */
export type ReportPlan = { readonly [K in Exclude<ReportColumn, 'version'>]: number };

const NAMES = Object.keys(COLUMNS) as ReportColumn[];
const PLANNED = NAMES.filter((name): name is Exclude<ReportColumn, 'version'> => name !== 'version');

/** Columns with room for `capacity` reports, holding the reports of `from` when growing. */
export function allocateColumns(capacity: number, from?: ReportColumns): ReportColumns {
  const columns: Partial<Record<ReportColumn, Uint32Array | Uint8Array | Uint16Array | Float64Array>> = {};
  for (const name of NAMES) {
    const column = new COLUMNS[name](capacity);
    if (from !== undefined) column.set(from[name]);
    columns[name] = column;
  }
  return columns as ReportColumns;
}

/** Writes report r's row from its plan. */
export function writeReport(columns: ReportColumns, r: number, plan: ReportPlan): void {
  for (const name of PLANNED) columns[name][r] = plan[name];
  columns.version[r] = 0;
}
