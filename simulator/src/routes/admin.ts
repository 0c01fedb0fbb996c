import { ApiError } from '../errors.js';
import { FaultSpecError, parseFaultSpec, type FaultEngine, type FaultSpec } from '../faults.js';
import type { RequestLog, Stats } from '../request-log.js';
import type { RequestContext, Route, RouteResult, StreamSink } from '../route.js';
import { allocationRecord, allocationShares } from '../tenant/allocations.js';
import { associationLinks, associationRecord } from '../tenant/associations.js';
import { entryCore, entryRecord } from '../tenant/entries.js';
import { itemizationLines, itemizationRecord } from '../tenant/itemizations.js';
import { applyMutation, type MutationRequest } from '../tenant/mutations.js';
import { buildReport } from '../tenant/reports.js';
import type { Tenant } from '../tenant/tenant.js';
import type { User } from '../tenant/users.js';
import { EXTRA_COLLECTIONS, type SimQuery } from './ground-truth.js';

export interface AdminDeps {
  readonly tenant: Tenant;
  readonly faults: FaultEngine;
  readonly log: RequestLog;
  readonly stats: Stats;
  readonly companyId: string;
}

const CORE_COLLECTIONS = ['reports', 'entries', 'itemizations', 'allocations', 'entry_attendee_associations', 'users'] as const;
type CoreCollection = (typeof CORE_COLLECTIONS)[number];

/** Collections of GET /_sim/data/{collection}. */
export const DATA_COLLECTIONS: readonly string[] = [...CORE_COLLECTIONS, ...Object.keys(EXTRA_COLLECTIONS)];

/** A tiny valid PDF: what the temporary image URLs (receipt images, v2 ReportImageURL) point at. */
const PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/**
 * /_sim observability and control: no auth, no faults, never in the request log.
 */
export function adminRoutes(deps: AdminDeps): Route[] {
  const admin = (method: Route['method'], pattern: string, handle: Route['handle']): Route => ({
    method,
    pattern: `/_sim${pattern}`,
    kind: 'admin',
    format: 'json',
    handle,
  });
  const ok = (body: unknown): RouteResult => ({ kind: 'json', status: 200, body });
  return [
    admin('GET', '/health', () => ok({ ok: true })),
    admin('GET', '/requests', () => ok({ requests: deps.log.list() })),
    admin('DELETE', '/requests', () => {
      deps.log.clear();
      return ok({ cleared: true });
    }),
    admin('GET', '/stats', () => ok(deps.stats.snapshot())),
    admin('DELETE', '/stats', () => {
      deps.stats.reset();
      return ok({ cleared: true });
    }),
    admin('GET', '/faults', () => ok({ faults: deps.faults.describe() })),
    admin('POST', '/faults', async (ctx) => {
      const body = await jsonBody(ctx);
      const list = isRecord(body) ? body['faults'] : undefined;
      if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string')) {
        throw new ApiError(400, 'Expected {"faults": ["SPEC", ...]}.');
      }
      let specs: FaultSpec[];
      try {
        specs = list.map(parseFaultSpec);
      } catch (error) {
        if (error instanceof FaultSpecError) throw new ApiError(400, error.message);
        throw error;
      }
      deps.faults.replace(specs);
      return ok({ faults: deps.faults.describe() });
    }),
    admin('POST', '/mutate', async (ctx) => ok(applyMutation(deps.tenant, parseMutation(await jsonBody(ctx)), Date.now()))),
    admin('GET', '/data/{collection}', (ctx) => {
      const collection = ctx.params['collection'] ?? '';
      if (!DATA_COLLECTIONS.includes(collection)) {
        throw new ApiError(404, `Unknown collection '${collection}'. Known: ${DATA_COLLECTIONS.join(', ')}.`);
      }
      const query: SimQuery = { query: ctx.query, base: ctx.requestBase, companyId: deps.companyId };
      const extra = EXTRA_COLLECTIONS[collection];
      if (extra !== undefined) extra.validate?.(deps.tenant, query);
      return {
        kind: 'stream',
        status: 200,
        contentType: 'application/x-ndjson; charset=utf-8',
        write: (sink) =>
          extra === undefined
            ? streamCollection(deps.tenant, collection as CoreCollection, ctx.requestBase, sink)
            : streamRecords(extra.records(deps.tenant, query), sink),
      };
    }),
    // What the temporary image URLs point at (like a pre-signed storage URL: no token needed).
    admin('GET', '/images/{kind}/{file}', () => ({ kind: 'text', status: 200, contentType: 'application/pdf', body: PDF })),
  ];
}

/** Stream any record iterable as NDJSON in ~64 KB chunks. */
async function streamRecords(records: Iterable<unknown>, sink: StreamSink): Promise<void> {
  let buffer = '';
  for (const record of records) {
    buffer += JSON.stringify(record) + '\n';
    if (buffer.length >= 65_536) {
      const chunk = buffer;
      buffer = '';
      await sink.write(chunk);
    }
  }
  if (buffer !== '') await sink.write(buffer);
}

/**
 * Every record of a collection as the API serves it (admin view, stable API order),
 * streamed in ~64 KB chunks so it works at 1M entries.
 */
async function streamCollection(t: Tenant, collection: CoreCollection, base: string, sink: StreamSink): Promise<void> {
  let buffer = '';
  const emit = async (record: unknown): Promise<void> => {
    buffer += JSON.stringify(record) + '\n';
    if (buffer.length >= 65_536) {
      const chunk = buffer;
      buffer = '';
      await sink.write(chunk);
    }
  };
  const reports = t.reportCount;
  if (collection === 'users') {
    for (const user of t.users) await emit(userRecord(user));
  } else if (collection === 'reports') {
    for (let r = 0; r < reports; r++) await emit(buildReport(t, r, base));
  } else {
    for (let r = 0; r < reports; r++) {
      for (let k = 0; k < t.entryCount(r); k++) {
        const core = entryCore(t, r, k);
        if (collection === 'entries') await emit(entryRecord(t, core, base));
        else if (collection === 'itemizations') {
          const lines = itemizationLines(t, core);
          for (let i = 0; i < lines.length; i++) {
            const line = lines[i];
            if (line !== undefined) await emit(itemizationRecord(t, core, i, line, base));
          }
        } else if (collection === 'allocations') {
          const shares = allocationShares(t, core);
          for (let a = 0; a < shares.length; a++) await emit(allocationRecord(t, core, a, shares[a] ?? 0, base));
        } else {
          const links = associationLinks(t, core);
          for (let j = 0; j < links.length; j++) {
            const link = links[j];
            if (link !== undefined) await emit(associationRecord(t, core, j, link, base));
          }
        }
      }
    }
  }
  if (buffer !== '') await sink.write(buffer);
}

/** Ground-truth user list (no v3 endpoint: Users v3 is decommissioned, docs/concur-api.md#user-v1). */
function userRecord(user: User): Record<string, unknown> {
  return {
    ID: user.id,
    LoginID: user.loginId,
    FirstName: user.firstName,
    LastName: user.lastName,
    Name: user.displayName,
    EmployeeID: user.employeeId,
    EmailAddress: user.loginId,
    Title: user.title,
    Country: user.country.code,
    CountrySubdivision: user.country.subdivision,
    CurrencyCode: user.country.currency,
    IsWebServicesAdmin: user.isAdmin,
  };
}

async function jsonBody(ctx: RequestContext): Promise<unknown> {
  const text = (await ctx.readBody()).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON.');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMutation(body: unknown): MutationRequest {
  if (!isRecord(body)) {
    throw new ApiError(400, 'Expected {"newReports":n,"editReports":n,"newEntries":n,"newTrips":n,"editTrips":n,"cancelTrips":n,"newJobs":n,"editUsers":n,"removeEntries":n}.');
  }
  const count = (name: string): number => {
    const value = body[name] ?? 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
      throw new ApiError(400, `'${name}' must be an integer between 0 and 100000.`);
    }
    return value;
  };
  const newJobs = count('newJobs');
  if (newJobs > 1000) throw new ApiError(400, "'newJobs' must be an integer between 0 and 1000.");
  return {
    newReports: count('newReports'),
    editReports: count('editReports'),
    newEntries: count('newEntries'),
    newTrips: count('newTrips'),
    editTrips: count('editTrips'),
    cancelTrips: count('cancelTrips'),
    newJobs,
    editUsers: count('editUsers'),
    removeEntries: count('removeEntries'),
  };
}
