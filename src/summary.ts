import type { ConcurClient } from './concur/client.js';
import type { StreamSummary } from './protocol/run-read.js';
import type { RequestCounts } from './stream-runs.js';

/** One line per stream, then the totals: each becomes a LOG message of its own, readable in any log viewer. */
export function summaryLines(
  summaries: readonly StreamSummary[],
  requests: RequestCounts,
  client: ConcurClient,
  usage: { cpuSeconds: number; peakRssMb: number } | undefined,
): string[] {
  const lines = summaries.map((s) => {
    const http = requests.get(s.stream) ?? { requests: 0, retries: 0 };
    return `${s.stream}: ${s.status}, ${s.records} records, ${s.states} states, ${http.requests} requests, ${http.retries} retries, ${s.seconds.toFixed(1)} s`;
  });
  const { retries, throttled } = client.stats;
  lines.push(`all streams: ${client.stats.requests} requests, ${retries} retries (${throttled} throttled)`);
  if (usage) lines.push(`process: ${usage.cpuSeconds.toFixed(2)} s CPU, peak RSS ${usage.peakRssMb.toFixed(0)} MB`);
  return lines;
}
