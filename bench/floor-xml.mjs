#!/usr/bin/env node
// Bare XML floor for travel_itineraries: the connector's recorded Itinerary v1.1 request list (page 1, then the
// other pages, max_concurrency at a time) on bare node:http, every page parsed with fast-xml-parser, and the trips
// of each page written as RECORD lines. The parser options are the connector's own, imported from dist
// (src/concur/xml.ts exports them as configuration), so both sides parse the same way by construction. It leaves
// out the connector's XML safety checks (DOCTYPE refusal, depth limit), the schema-driven decoding of values
// (numbers, booleans, nil), validation, STATE and status messages, the cursor filter, retries and logging.
import { XMLParser } from 'fast-xml-parser';
import { XML_PARSER_OPTIONS } from '../dist/concur/xml.js';
import { createClient, createOutput, floorArgs, onPath, pool } from './floor-common.mjs';

const args = floorArgs();
const client = createClient(args.url, args.concurrency);
await client.authenticate();
const out = createOutput(args.stream);
const parser = new XMLParser(XML_PARSER_OPTIONS);

await pool(args.targets, args.concurrency, async (target) => {
  const root = parser.parse(await client.get(target, 'application/xml'), true);
  if (!onPath(target, args.recordsPath)) return;
  const trips = root.ConnectResponse?.Data?.ItineraryInfoList?.ItineraryInfo ?? [];
  await out.write(Array.isArray(trips) ? trips : [trips]);
});
await out.end();
client.close();
