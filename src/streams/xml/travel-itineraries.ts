import type { JsonSchemaNode, XmlNode } from '../../concur/xml.js';
import { pageNumbers } from '../../concur/paging.js';
import type { DateFilter, RecordData } from '../../engine/define.js';
import { asUser, type StreamContext } from '../env.js';
import { decodeRecords, getXmlDocument } from './requests.js';
import { concurStream } from '../stream.js';

const PAGE_SIZE = 100; // docs/concur-api.md#itinerary-trips-paging: the guide's example size; the maximum is undocumented
const YEAR_MS = 365 * 86_400_000;

const day = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** "Modified on or after", to the second, UTC without an offset (docs/concur-api.md#itinerary-trips-filters). */
const MODIFIED_SINCE: DateFilter = { after: 'lastModifiedDate', bounds: 'inclusive', stepMs: 1000, format: (epochMs) => new Date(epochMs).toISOString().slice(0, 19) };

/** TotalPages or TotalItems from the metadata wrapper, when it is there and a count. */
function paging(root: { [name: string]: XmlNode }, field: 'TotalPages' | 'TotalItems'): number | undefined {
  const meta = ((root['ConnectResponse'] as Record<string, XmlNode> | undefined)?.['Metadata'] as Record<string, XmlNode> | undefined)?.['Paging'];
  const total = typeof meta === 'object' && !Array.isArray(meta) ? Number(meta[field]) : Number.NaN;
  return Number.isSafeInteger(total) && total >= 0 ? total : undefined;
}

/** Company-wide or one user (admin only); the token user's own trips need no parameter (docs/concur-api.md#itinerary-trips-filters). */
function travellers(ctx: StreamContext): { userid_type?: string; userid_value?: string } {
  const user = ctx.options.user === 'ALL' ? 'ALL' : asUser(ctx.options, ctx.options.user);
  return user === undefined ? {} : { userid_type: 'login', userid_value: user };
}

// Trips v1.1 with the metadata wrapper for paging. Concur filters on "modified on or after" only, so this stream
// is read in one pass from the cursor. The trip dates (startDate/endDate, which default to -30 days/+12 months)
// are opened wide, so a trip modified recently is read however long ago or far ahead it takes place.
// Concur leaves canceled trips out unless asked, so a trip canceled after a sync would stay booked downstream;
// asking for them also brings TripStatus. Virtual trips (booked offline through Concur Request) are real trips
// too. https://developer.concur.com/api-reference/travel/itinerary/trip/trip-resource.html
export const travelItineraries = concurStream({
  name: 'travel_itineraries',
  primaryKey: ['TripId'],
  cursor: { kind: 'since', field: 'DateModifiedUtc', filter: MODIFIED_SINCE },
  pages: (ctx: StreamContext): AsyncIterable<RecordData[]> =>
    pageNumbers(async (page) => {
      const window = ctx.window;
      const root = await getXmlDocument(ctx, '/api/travel/trip/v1.1/', {
        includeMetadata: 'true',
        ItemsPerPage: PAGE_SIZE,
        Page: page,
        startDate: '2000-01-01',
        endDate: day((window?.end ?? Date.now()) + 10 * YEAR_MS),
        ...ctx.windowQuery,
        includeCanceledTrips: 'true',
        includeVirtualTrip: 1,
        ...travellers(ctx),
      });
      const list = root['ConnectResponse'] ? ['ConnectResponse', 'Data', 'ItineraryInfoList', 'ItineraryInfo'] : ['ItineraryInfoList', 'ItineraryInfo'];
      const totalItems = paging(root, 'TotalItems');
      if (page === 1 && totalItems !== undefined) ctx.estimate?.(totalItems);
      return { items: decodeRecords(root, list, ctx.schema as JsonSchemaNode | undefined), totalPages: paging(root, 'TotalPages') };
    }, 2 * (ctx.concurrency ?? 1)),
});
