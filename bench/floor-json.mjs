#!/usr/bin/env node
// Raw floor for expense_entries: the connector's requests (the report list by date window, then one entries request
// set per report with reportID and user, `concurrency` at a time, the same page size) parsed with JSON.parse and
// written as RECORD lines. It leaves out everything else the connector does: schema validation, STATE and status
// messages, checkpoint ordering, retries, token renewal, secret masking and logging.
import { createClient, createOutput, floorArgs, pool, reportUsage, windowed } from './floor-common.mjs';

const ADMIN = 'admin@example.com';
const args = floorArgs();
const client = createClient(args.url, args.concurrency, args.client);
await client.authenticate();
const out = createOutput('expense_entries');
const filterDate = (epochMs) => new Date(epochMs).toISOString().slice(0, 23);

/** v3 paging: follow NextPage until there is none (or a page is empty). */
async function* v3Pages(path, query) {
  let target = path;
  let params = { limit: args.pageSize, ...query };
  for (;;) {
    const page = JSON.parse(await client.get(target, params));
    const items = page.Items ?? [];
    if (items.length > 0) yield items;
    if (!page.NextPage || items.length === 0) return;
    target = page.NextPage;
    params = {};
  }
}

const reports = windowed(
  args.sliceDays,
  (window) => v3Pages('/api/v3.0/expense/reports', { user: 'ALL', modifiedDateAfter: filterDate(window.start - 1), modifiedDateBefore: filterDate(window.end) }),
  (report) => report.ID,
);
await pool(reports, args.concurrency, async ({ record: report }) => {
  // The token's own user is asked without `user` (as the connector does: Concur needs no admin role for it).
  const owner = report.OwnerLoginID === ADMIN ? undefined : report.OwnerLoginID;
  for await (const entries of v3Pages('/api/v3.0/expense/entries', { reportID: report.ID, user: owner })) {
    for (const entry of entries) entry.ReportLastModifiedDate = report.LastModifiedDate;
    await out.write(entries);
  }
});
await out.end();
client.close();
reportUsage();
