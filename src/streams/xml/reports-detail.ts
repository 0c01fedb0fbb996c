import type { JsonSchemaNode } from '../../concur/xml.js';
import { filterQuery, type DateFilter, type RecordData, type Window } from '../../engine/define.js';
import { parentField, type StreamContext } from '../env.js';
import { decodeRecord, decodeRecords, getXmlDocument } from './requests.js';
import { concurStream } from '../stream.js';

/** docs/concur-api.md#expense-report-v2-list: the v2 list returns at most 1000 reports and has no paging. */
export const V2_LIST_CAP = 1000;
const SECOND = 1000;
const text = { type: ['null', 'string'] };

/** v2 date filters take whole seconds, UTC, without an offset (YYYY-MM-DDThh:mm:ss). */
const seconds = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 19);

/** The v2 list's modification filter: strictly after and strictly before, to the second. */
const V2_MODIFIED: DateFilter = { after: 'ModifiedAfterDate', before: 'ModifiedBeforeDate', bounds: 'exclusive', stepMs: SECOND, format: seconds };

/**
 * The reports of one status bucket modified in `window`. docs/concur-api.md#expense-report-v2-list: a full answer (1000 rows) may be cut, so the
 * window is halved and both halves asked again, down to one second. Windows overlap by a second at the edges
 * (the filter has second precision); the engine reads each report once per sync.
 */
async function* listWindow(ctx: StreamContext, status: string, window: Window): AsyncGenerator<RecordData[]> {
  const root = await getXmlDocument(ctx, '/api/expense/expensereport/v2.0/Reports/', { Status: status, ...filterQuery(V2_MODIFIED, window) });
  const rows = decodeRecords(root, ['ReportsList', 'ReportSummary'], { properties: { ReportId: text, ExpenseUserLoginID: text } });
  if (rows.length >= V2_LIST_CAP && window.end - window.start > 2 * SECOND) {
    const middle = window.start + Math.floor((window.end - window.start) / 2);
    yield* listWindow(ctx, status, { start: window.start, end: middle });
    yield* listWindow(ctx, status, { start: middle, end: window.end });
    return;
  }
  if (rows.length >= V2_LIST_CAP) {
    ctx.log.warn(`reports_detail: ${rows.length} ${status} reports were modified within one second (${seconds(window.start)}); Concur returns at most ${V2_LIST_CAP}, so some may be missing.`);
  }
  if (rows.length > 0) yield rows;
}

/** The v2 report list, by status bucket and date window: the parent of reports_detail, not a stream of its own. */
const v2Reports = concurStream({
  name: 'reports_detail_list',
  primaryKey: ['ReportId'],
  cursor: { kind: 'server', field: 'ReportModifiedBefore', filter: V2_MODIFIED },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const window = ctx.window;
    if (!window) throw new Error('the v2 report list is always read by date window');
    // The buckets are independent lists of one window: all are asked at once (the client's limiter still caps
    // the requests in flight) and read in the configured order. One after the other, eight round trips per
    // window would be the sync's critical path.
    const lists = ctx.options.reportStatuses.map((status) => listWindow(ctx, status, window));
    const firsts = lists.map((list) => {
      const first = list.next();
      // Awaited in order below; until then a failure must not count as unhandled.
      first.catch(() => undefined);
      return first;
    });
    let open = 0;
    try {
      for (; open < lists.length; open++) {
        const list = lists[open] as AsyncGenerator<RecordData[]>;
        for (let next = await (firsts[open] as Promise<IteratorResult<RecordData[]>>); !next.done; next = await list.next()) yield next.value;
      }
    } finally {
      // Left early (a probe that found what it looked for, or an error): the other lists are closed.
      for (const list of lists.slice(open)) void list.return(undefined).catch(() => undefined);
    }
  },
});

// Deprecated v2 details: the whole report with its entries, itemizations, allocations, attendees and journal entries.
export const reportsDetail = concurStream({
  name: 'reports_detail',
  primaryKey: ['ReportID'],
  deprecated: { since: 'deprecated, no decommission date announced', replacement: 'Expense Reports v3 (expense_reports_detail) or Reports v4' },
  parent: { stream: v2Reports },
  cursor: { field: 'ReportModifiedBefore' },
  // docs/concur-api.md#missing-records-404: a report deleted between the list and this call is skipped, not fatal.
  failures: { not_found: 'skip' },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, `/api/expense/expensereport/v2.0/report/${encodeURIComponent(parentField(ctx, 'ReportId'))}`);
    yield [decodeRecord(root['ReportDetails'] ?? '', ctx.schema as JsonSchemaNode | undefined)];
  },
  transform: (report, ctx) => ({ ...report, ReportModifiedBefore: ctx.window ? new Date(ctx.window.end).toISOString() : null }),
});
