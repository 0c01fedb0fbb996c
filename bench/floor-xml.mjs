#!/usr/bin/env node
// Raw floor for travel_itineraries: the connector's requests (Itinerary v1.1 with the metadata wrapper, the same page
// size and date parameters, page 1 first, then the remaining pages `concurrency` at a time), parsed with
// fast-xml-parser configured as the connector configures it, and the parsed trips written as RECORD lines. It leaves
// out the connector's XML safety checks (DOCTYPE refusal, depth limit), the schema-driven decoding of values
// (numbers, booleans, nil), validation, STATE and status messages, the cursor filter, retries and logging.
import { XMLParser } from 'fast-xml-parser';
import { XML_PARSER_OPTIONS } from '../dist/concur/xml.js';
import { createClient, createOutput, floorArgs, pool, reportUsage } from './floor-common.mjs';

const args = floorArgs();
const client = createClient(args.url, args.concurrency, args.client);
await client.authenticate();
const out = createOutput('travel_itineraries');
// The connector's own parser options (src/concur/xml.ts), so both parse the same way by construction.
const parser = new XMLParser(XML_PARSER_OPTIONS);
const YEAR_MS = 365 * 86_400_000;
const end = Date.now();
const query = {
  includeMetadata: 'true',
  ItemsPerPage: args.pageSize,
  startDate: '2000-01-01',
  endDate: new Date(end + 10 * YEAR_MS).toISOString().slice(0, 10),
  lastModifiedDate: '2000-01-01T00:00:00',
  includeCanceledTrips: 'true',
  includeVirtualTrip: 1,
  userid_type: 'login',
  userid_value: 'ALL',
};

async function page(number) {
  const root = parser.parse(await client.get('/api/travel/trip/v1.1/', { ...query, Page: number }, 'application/xml'), true);
  const trips = root.ConnectResponse?.Data?.ItineraryInfoList?.ItineraryInfo ?? [];
  await out.write(Array.isArray(trips) ? trips : [trips]);
  return Number(root.ConnectResponse?.Metadata?.Paging?.TotalPages ?? 1);
}

const totalPages = await page(1);
async function* rest() {
  for (let number = 2; number <= totalPages; number++) yield number;
}
await pool(rest(), args.concurrency, page);
await out.end();
client.close();
reportUsage();
