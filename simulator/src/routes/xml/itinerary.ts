import { ApiError } from '../../errors.js';
import { DAY_MS, dayStart } from '../../format.js';
import type { RequestContext, Route } from '../../route.js';
import type { Tenant } from '../../tenant/tenant.js';
import { TRIP_CANCELED, tripCore, tripOwner, tripRecord } from '../../tenant/trips.js';
import { leaf, listDocument, listElement, type XmlRecord } from '../../xml.js';
import { ROLE, dateParam, requireRole, tokenUser, xmlResult, type XmlDeps } from './common.js';

export const TRIP_NAMESPACE = 'http://www.concursolutions.com/api/travel/trip/2010/06';
/**
 * TripStatus is absent unless includeCanceledTrips=true; a trip without a booking source has i:nil
 * BookingSource, RecordLocator and Passengers.
 */
export const TRIP_RULES = {
  integers: new Set(['TripStatus']),
  nulls: { TripStatus: 'absent', BookingSource: 'nil', RecordLocator: 'nil', Passengers: 'nil' },
} as const;
const MAX_ITEMS_PER_PAGE = 1000;
const ALL_USERS = -1;

interface TripQuery {
  readonly owner: number | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly createdAfter: number | undefined;
  readonly createdBefore: number | undefined;
  readonly modifiedSince: number | undefined;
  readonly canceled: boolean;
  readonly virtual: boolean;
}

/**
 * Itinerary (Trips) v1.1 list: the trips ongoing between startDate and endDate (defaults: today - 30 days and
 * today + 12 months, as documented, so a caller that omits them misses older and later trips), narrowed by
 * createdAfterDate/createdBeforeDate (on or after / on or before the day), lastModifiedDate (DateModifiedUtc
 * ≥ value), includeCanceledTrips (true: canceled trips too, and TripStatus) and includeVirtualTrip (1: virtual
 * trips too). Default: the token user's trips; `userid_type=login|login_id` with
 * `userid_value=<login>|ALL` needs the admin role. Paging by Page (1-based) and ItemsPerPage (default 200 with
 * Page, else 1000); includeMetadata=true wraps the list in ConnectResponse/Metadata/Paging + Data.
 */
export function itineraryRoutes(deps: XmlDeps): Route[] {
  const t = deps.tenant;
  const cache = new MatchCache();
  return [
    {
      method: 'GET',
      pattern: '/api/travel/trip/v1.1',
      kind: 'data',
      format: 'xml',
      api: 'itinerary',
      handle: (ctx) => {
        const query = tripQuery(ctx, deps);
        const canceled = query.canceled;
        const pageParam = positiveParam(ctx, 'Page');
        const sizeParam = positiveParam(ctx, 'ItemsPerPage');
        const size = Math.min(MAX_ITEMS_PER_PAGE, sizeParam ?? (pageParam === undefined ? 1000 : 200));
        const page = pageParam ?? 1;
        const matches = cache.get(t, query);
        const total = matches.length;
        const totalPages = Math.ceil(total / size);
        const records: XmlRecord[] = [];
        for (let n = (page - 1) * size; n < Math.min(total, page * size); n++) {
          records.push(tripRecord(t, tripCore(t, matches[n] ?? 0), ctx.requestBase, canceled) as unknown as XmlRecord);
        }
        const metadata = (ctx.query.get('includeMetadata') ?? '').toLowerCase() === 'true';
        if (!metadata) {
          return xmlResult(listDocument('ItineraryInfoList', 'ItineraryInfo', records, TRIP_RULES, { namespace: TRIP_NAMESPACE, xsi: true, declaration: true }), 'trips', records.length);
        }
        const link = (target: number): string | null => pageUrl(ctx, target, size);
        const body =
          `<?xml version="1.0" encoding="utf-8"?>\n<ConnectResponse>\n  <Metadata>\n    <Paging>\n` +
          `      ${leaf('TotalPages', totalPages)}\n      ${leaf('TotalItems', total)}\n      ${leaf('CurrentPage', page)}\n` +
          `      ${leaf('ItemsPerPage', size)}\n` +
          `      ${leaf('PreviousPageURL', page > 1 ? link(page - 1) : null)}\n` +
          `      ${leaf('NextPageURL', page < totalPages ? link(page + 1) : null)}\n` +
          `    </Paging>\n  </Metadata>\n  <Data>\n` +
          `${listElement('ItineraryInfoList', 'ItineraryInfo', records, TRIP_RULES, { namespace: TRIP_NAMESPACE, xsi: true }, 2)}\n  </Data>\n</ConnectResponse>`;
        return xmlResult(body, 'trips', records.length);
      },
    },
  ];
}

function positiveParam(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new ApiError(400, `The '${name}' parameter must be a positive integer.`);
  return Number(raw);
}

/** The same URL with Page replaced (the other parameters kept in order), on the request's host. */
function pageUrl(ctx: RequestContext, page: number, size: number): string {
  const params = new URLSearchParams();
  let sawSize = false;
  for (const [key, value] of ctx.url.searchParams) {
    if (key.toLowerCase() === 'page') continue;
    if (key.toLowerCase() === 'itemsperpage') sawSize = true;
    params.append(key, value);
  }
  if (!sawSize) params.append('ItemsPerPage', String(size));
  params.append('Page', String(page));
  return `${ctx.requestBase}${ctx.path}?${params.toString()}`;
}

function tripQuery(ctx: RequestContext, deps: XmlDeps): TripQuery {
  const t = deps.tenant;
  const today = dayStart(ctx.nowMs);
  const defaultEnd = (() => {
    const d = new Date(today);
    return Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate());
  })();
  const startMs = dateParam(ctx, 'startDate') ?? today - 30 * DAY_MS;
  const endMs = dateParam(ctx, 'endDate') ?? defaultEnd;
  const createdAfter = dateParam(ctx, 'createdAfterDate');
  const createdBefore = dateParam(ctx, 'createdBeforeDate');
  const modifiedSince = dateParam(ctx, 'lastModifiedDate');
  const canceled = (ctx.query.get('includeCanceledTrips') ?? '').toLowerCase() === 'true';
  const virtual = ctx.query.get('includeVirtualTrip') === '1';
  const value = ctx.query.get('userid_value');
  let owner: number | null = tokenUser(ctx);
  if (value !== undefined && value !== '') {
    const type = (ctx.query.get('userid_type') ?? '').toLowerCase();
    if (type !== 'login' && type !== 'login_id') {
      throw new ApiError(400, "userid_value needs userid_type=login (or login_id).");
    }
    requireRole(ctx, deps, 'Reading the trips of other users (userid_value)', ROLE.webServicesAdmin);
    owner = value.toUpperCase() === 'ALL' ? ALL_USERS : (t.userByLogin(value) ?? null);
    if (owner === null) return { owner: -2, startMs, endMs, createdAfter, createdBefore, modifiedSince, canceled, virtual };
  }
  return { owner, startMs, endMs, createdAfter, createdBefore, modifiedSince, canceled, virtual };
}

/**
 * The indexes of the trips a query matches, in trip order. Counting them (TotalItems) needs a full scan, so the
 * last few results are cached per query (and tenant trip version): paging a query scans once.
 */
class MatchCache {
  private readonly entries = new Map<string, Int32Array>();

  get(t: Tenant, query: TripQuery): Int32Array {
    const key = `${t.trips.version}|${JSON.stringify(query)}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const found = matchTrips(t, query);
    this.entries.set(key, found);
    if (this.entries.size > 8) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return found;
  }
}

function matchTrips(t: Tenant, query: TripQuery): Int32Array {
  const out: number[] = [];
  if (query.owner === null || query.owner === -2) return new Int32Array(0);
  const endOfDay = (ms: number): number => dayStart(ms) + DAY_MS;
  const inRange = (first: number, last: number): boolean => last >= query.startMs && first < endOfDay(query.endMs);
  const scan = (i: number): void => {
    const core = tripCore(t, i);
    if (!query.canceled && core.status === TRIP_CANCELED) return;
    if (!query.virtual && core.virtual) return;
    if (!inRange(core.startMs, core.endMs)) return;
    if (query.createdAfter !== undefined && core.createdMs < dayStart(query.createdAfter)) return;
    if (query.createdBefore !== undefined && core.createdMs >= endOfDay(query.createdBefore)) return;
    if (query.modifiedSince !== undefined && core.modifiedMs < query.modifiedSince) return;
    out.push(i);
  };
  if (query.owner === ALL_USERS) {
    for (let i = 0; i < t.trips.count; i++) scan(i);
  } else {
    // One user's start-up trips are contiguous; added trips are checked one by one.
    const first = query.owner * t.trips.perUser;
    for (let i = first; i < first + t.trips.perUser && t.trips.perUser > 0; i++) scan(i);
    for (let i = t.trips.initialCount; i < t.trips.count; i++) if (tripOwner(t, i) === query.owner) scan(i);
  }
  return Int32Array.from(out);
}
