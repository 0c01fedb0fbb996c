// Requests over empty history: the standard simulated company (the simulator's defaults, dates passed explicitly)
// read in full, every stream, twice: with start_date 16 years before its first record and with start_date at it.
// Empty years must cost little: long ≤ 1.10 × short + 10 per windowed listing.
import { readdirSync, readFileSync } from 'node:fs';
import { catalogOf, COMPANY_CREDENTIALS, connectorConfig, discover, read, writeJson } from './connector.mjs';
import { ROOT } from './processes.mjs';
import { startSimulator } from './servers.mjs';

/** expense_reports and the five streams read per report (details, entries, itemizations, allocations, attendee links). */
const REPORT_FAMILY = ['expense_reports', 'expense_reports_detail', 'expense_entries', 'expense_itemizations', 'expense_allocations', 'entry_attendee_associations'];
/** Every stream has its schema file: discover must offer them all to a company token. */
const EXPECTED_STREAMS = readdirSync(`${ROOT}/schemas`).filter((file) => file.endsWith('.json')).length;

/**
 * Windowed listings: each stream whose root list is read in date windows lists its own, so each counts once
 * (the six of the report family); reports_detail lists each v2 status bucket of its config separately (the
 * spec's default report_statuses, 8). travel_itineraries (one pass from the start, no windows) and extract_jobs
 * (filtered on the client) are not windowed; the other streams have no date range at all.
 */
function windowedListings() {
  const spec = JSON.parse(readFileSync(`${ROOT}spec.json`, 'utf8'));
  const buckets = spec.connectionSpecification.properties.report_statuses.default.length;
  return { count: REPORT_FAMILY.length + buckets, buckets };
}

const minusYears = (date, years) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;

export async function requestsPhase(ctx) {
  const { size } = ctx;
  const from = size.standardFrom;
  const sim = await startSimulator(['--from', from, '--to', size.standardTo, ...size.standardArgs]);
  try {
    const base = { end_date: size.standardTo, max_concurrency: ctx.concurrency };
    const longConfig = writeJson(ctx.scratch, 'requests-long-config', connectorConfig(sim.url, COMPANY_CREDENTIALS, { ...base, start_date: minusYears(from, size.historyYears) }));
    const shortConfig = writeJson(ctx.scratch, 'requests-short-config', connectorConfig(sim.url, COMPANY_CREDENTIALS, { ...base, start_date: from }));
    const discovered = await discover(shortConfig);
    const catalog = writeJson(ctx.scratch, 'requests-catalog', catalogOf(discovered, discovered.map((s) => s.name)));
    const reads = {};
    for (const [name, config] of [['long', longConfig], ['short', shortConfig]]) {
      await sim.resetStats();
      const run = await read(config, catalog);
      const served = await sim.stats();
      reads[name] = { requests: run.connectorRequests, simulatorRequests: served.requests, records: run.records, seconds: run.seconds, streams: Object.fromEntries(run.streams) };
      ctx.log(`requests: ${name} read (${name === 'long' ? `${size.historyYears} years before the first record` : 'from the first record'}): ${run.connectorRequests} requests, ${run.records} records, ${run.seconds.toFixed(1)} s`);
    }
    const listings = windowedListings();
    const allowed = 1.1 * reads.short.requests + 10 * listings.count;
    ctx.sections.requests = {
      company: `simulator defaults, --from ${from} --to ${size.standardTo}${size.standardArgs.length ? ` ${size.standardArgs.join(' ')}` : ''}`,
      streams: discovered.length,
      longStart: minusYears(from, size.historyYears),
      shortStart: from,
      windowedListings: listings,
      allowed,
      ...reads,
    };
    ctx.check(`requests: every stream read (${EXPECTED_STREAMS})`, discovered.length === EXPECTED_STREAMS, `${discovered.length} streams offered by discover`);
    ctx.target(
      `requests, all ${discovered.length} streams, start_date ${size.historyYears} years early vs at the first record (${listings.count} windowed listings)`,
      `${reads.long.requests} vs ${reads.short.requests} (${(reads.long.requests / reads.short.requests).toFixed(2)}×)`,
      `≤ 1.10 × ${reads.short.requests} + 10 × ${listings.count} = ${Math.floor(allowed)}`,
      reads.long.requests <= allowed,
    );
  } finally {
    await sim.stop();
  }
}
