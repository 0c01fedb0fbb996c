import { ApiError } from '../../errors.js';
import type { RequestContext, Route } from '../../route.js';
import {
  EXTRACT_DEFINITIONS,
  definitionIndex,
  definitionRecord,
  jobFacts,
  jobRecord,
  jobRef,
  listedJobs,
} from '../../tenant/extracts.js';
import { listDocument, recordDocument, type XmlRecord } from '../../xml.js';
import { ROLE, requireRole, xmlResult, type XmlDeps } from './common.js';

const BASE = '/api/expense/extract/v1.0';
export const EXTRACT_NAMESPACE = 'http://www.concursolutions.com/api/expense/extract/2010/02';
/** A running job has neither stop-time nor file-link (the elements are absent). */
export const JOB_RULES = { nulls: { 'stop-time': 'absent', 'file-link': 'absent' } } as const;

/**
 * Extracts v1 (XML): definitions, one definition, its jobs (the last 100, newest first), one job, its status
 * and its file. Every call needs an administrator (403 naming the roles); unknown ids are 404.
 */
export function extractRoutes(deps: XmlDeps): Route[] {
  const t = deps.tenant;
  const route = (pattern: string, handle: Route['handle']): Route => ({
    method: 'GET',
    pattern: `${BASE}${pattern}`,
    kind: 'data',
    format: 'xml',
    api: 'extracts',
    handle: (ctx) => {
      requireRole(ctx, deps, 'The Extract API', ROLE.companyAdmin);
      return handle(ctx);
    },
  });
  const definition = (ctx: RequestContext): number => {
    const id = ctx.params['definitionId'] ?? '';
    const d = definitionIndex(t, id);
    if (d === undefined) throw new ApiError(404, `The extract definition '${id}' was not found.`);
    return d;
  };
  const job = (ctx: RequestContext, d: number): number => {
    const id = ctx.params['jobId'] ?? '';
    const s = jobRef(t, d, id);
    if (s === undefined) throw new ApiError(404, `The extract job '${id}' was not found for this definition.`);
    return s;
  };
  const jobDocument = (ctx: RequestContext): string => {
    const d = definition(ctx);
    const record = jobRecord(t, d, job(ctx, d), ctx.requestBase) as unknown as XmlRecord;
    return recordDocument('job', record, JOB_RULES, { namespace: EXTRACT_NAMESPACE, xsi: true });
  };
  return [
    route('', (ctx) => {
      const records = EXTRACT_DEFINITIONS.map((_, d) => definitionRecord(t, d, ctx.requestBase)) as unknown as XmlRecord[];
      return xmlResult(listDocument('definitions', 'definition', records, {}, { namespace: EXTRACT_NAMESPACE }), 'extract_definitions', records.length);
    }),
    route('/{definitionId}', (ctx) => {
      const record = definitionRecord(t, definition(ctx), ctx.requestBase);
      // The single-definition sample orders id, name, job-link.
      const ordered: XmlRecord = { id: record.id, name: record.name, 'job-link': record['job-link'] };
      return xmlResult(recordDocument('definition', ordered, {}, { namespace: EXTRACT_NAMESPACE, xsi: true }), 'extract_definitions', 1);
    }),
    route('/{definitionId}/job', (ctx) => {
      const d = definition(ctx);
      const jobs = listedJobs(t, d).map((s) => jobRecord(t, d, s, ctx.requestBase)) as unknown as XmlRecord[];
      return xmlResult(listDocument('jobs', 'job', jobs, JOB_RULES, { namespace: EXTRACT_NAMESPACE, declaration: true }), 'extract_jobs', jobs.length);
    }),
    route('/{definitionId}/job/{jobId}', (ctx) => xmlResult(jobDocument(ctx), 'extract_jobs', 1)),
    route('/{definitionId}/job/{jobId}/status', (ctx) => xmlResult(jobDocument(ctx), 'extract_jobs', 1)),
    route('/{definitionId}/job/{jobId}/file', (ctx) => {
      const d = definition(ctx);
      const s = job(ctx, d);
      const facts = jobFacts(t, d, s);
      if (!facts.hasFile) throw new ApiError(404, 'The extract job has no file (it is still running or it failed).');
      return { kind: 'text', status: 200, contentType: 'text/csv; charset=utf-8', body: extractFile(d, s) };
    }),
  ];
}

/** A tiny Standard Accounting Extract-like CSV (header row + one batch row). */
function extractFile(d: number, s: number): string {
  return `100,LIVE,SAE,${d},${s}\n200,${s + 1},0.00,USD\n`;
}

