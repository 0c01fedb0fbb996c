#!/usr/bin/env node
// Bare JSON floor: the connector's recorded request list for a v3 stream (report list pages and one child request
// set per report, in the connector's order, max_concurrency at a time) on bare node:http, every page parsed with
// JSON.parse, and the Items of the stream's own pages written as RECORD lines. Like the connector's records, each
// child record carries its report's LastModifiedDate (ReportLastModifiedDate) when the report list page that
// named the report has been read. It leaves out everything else the connector does: schema validation, STATE and
// status messages, ordered output and checkpoints, retries, token renewal, secret masking and logging.
import { createClient, createOutput, floorArgs, onPath, pool } from './floor-common.mjs';

const args = floorArgs();
const client = createClient(args.url, args.concurrency);
await client.authenticate();
const out = createOutput(args.stream);
/** Report id → LastModifiedDate, from the report list pages read so far. */
const reports = new Map();

await pool(args.targets, args.concurrency, async (target) => {
  const page = JSON.parse(await client.get(target, 'application/json'));
  const items = Array.isArray(page.Items) ? page.Items : [];
  if (!onPath(target, args.recordsPath)) {
    for (const item of items) if (item.LastModifiedDate !== undefined) reports.set(item.ID, item.LastModifiedDate);
    return;
  }
  const reportId = /[?&]reportID=([^&]*)/i.exec(target)?.[1];
  const modified = reportId === undefined ? null : (reports.get(decodeURIComponent(reportId)) ?? null);
  for (const item of items) item.ReportLastModifiedDate = modified;
  await out.write(items);
});
await out.end();
client.close();
