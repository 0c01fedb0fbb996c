import { describe, expect, it } from 'vitest';
import { startSimulator } from '../helpers/simulator.js';
import { adminToken, collect, concurMs, get, ids, type Json } from './support.js';

const ARGS = ['--seed', '99', '--users', '4', '--reports', '40', '--entries-per-report', '3'];

describe('POST /_sim/mutate', () => {
  it('removeEntries: the last entry of distinct reports goes, with its children; each report is stamped now and its total drops', async () => {
    const sim = await startSimulator(ARGS);
    try {
      const token = await adminToken(sim);
      const entriesBefore = await sim.data('entries');
      const startedMs = Date.now();
      const result = await sim.mutate({ removeEntries: 2 });
      expect(result.removedEntryIds).toHaveLength(2);
      expect(new Set(result.reportIdsWithRemovedEntries).size).toBe(2);
      const entriesAfter = await sim.data('entries');
      expect(entriesAfter).toHaveLength(entriesBefore.length - 2);
      for (const id of result.removedEntryIds) {
        expect(entriesBefore.some((e) => e['ID'] === id)).toBe(true);
        expect(entriesAfter.some((e) => e['ID'] === id)).toBe(false);
      }
      for (const table of ['itemizations', 'allocations', 'entry_attendee_associations'] as const) {
        const rows = await sim.data(table);
        expect(rows.some((row) => result.removedEntryIds.includes(String(row['EntryID']))), table).toBe(false);
      }
      const reports = await sim.data('reports');
      for (const id of result.reportIdsWithRemovedEntries) {
        const report = reports.find((r) => r['ID'] === id) as Json;
        expect(concurMs(report['LastModifiedDate'])).toBeGreaterThanOrEqual(startedMs);
        const total = entriesAfter.filter((e) => e['ReportID'] === id).reduce((acc, e) => acc + Math.round(Number(e['PostedAmount']) * 100), 0);
        expect(Math.round(Number(report['Total']) * 100)).toBe(total);
        // The API agrees with the ground truth: the report's entries no longer list the removed one.
        const listed = await collect(sim.url, `/api/v3.0/expense/entries?reportID=${encodeURIComponent(id)}&user=ALL&limit=100`, token);
        expect(ids(listed.items).sort()).toEqual(entriesAfter.filter((e) => e['ReportID'] === id).map((e) => String(e['ID'])).sort());
      }
    } finally {
      await sim.stop();
    }
  });

  it('adds reports, edits reports and adds entries to old reports, all visible to an incremental sync', async () => {
    const sim = await startSimulator(ARGS);
    try {
      const token = await adminToken(sim);
      const before = await sim.data('reports');
      const entriesBefore = await sim.data('entries');
      const cursor = before.map((r) => String(r['LastModifiedDate'])).sort((a, b) => concurMs(a) - concurMs(b)).at(-1) ?? '';
      const startedMs = Date.now();

      const result = await sim.mutate({ newReports: 2, editReports: 3, newEntries: 4 });
      expect(result.newReportIds).toHaveLength(2);
      expect(result.editedReportIds).toHaveLength(3);
      expect(new Set(result.editedReportIds).size).toBe(3);
      expect(result.newEntryIds).toHaveLength(4);
      expect(result.reportIdsWithNewEntries.length).toBeGreaterThanOrEqual(1);
      const oldIds = new Set(ids(before));
      expect(result.editedReportIds.every((id) => oldIds.has(id))).toBe(true);
      expect(result.reportIdsWithNewEntries.every((id) => oldIds.has(id))).toBe(true);

      const after = await sim.data('reports');
      expect(after).toHaveLength(42);
      expect(ids(after).slice(0, 40)).toEqual(ids(before)); // stable creation order; new ones at the end
      expect(ids(after).slice(40)).toEqual(result.newReportIds);

      // Incremental sync: everything changed is after the old cursor, nothing else is.
      const changed = await collect(sim.url, `/api/v3.0/expense/reports?user=ALL&limit=100&modifiedDateAfter=${cursor}`, token);
      const expected = new Set([...result.newReportIds, ...result.editedReportIds, ...result.reportIdsWithNewEntries]);
      expect(new Set(ids(changed.items))).toEqual(expected);

      const byId = new Map(after.map((r) => [String(r['ID']), r]));
      const oldById = new Map(before.map((r) => [String(r['ID']), r]));
      const entriesAfter = await sim.data('entries');
      const sumFor = (reportId: string): number =>
        entriesAfter.filter((e) => e['ReportID'] === reportId).reduce((acc, e) => acc + Math.round(Number(e['PostedAmount']) * 100), 0);
      for (const id of expected) {
        const report = byId.get(id) as Json;
        const stamp = concurMs(report['LastModifiedDate']);
        expect(stamp).toBeGreaterThanOrEqual(startedMs);
        expect(stamp).toBeLessThanOrEqual(Date.now() + 50);
        expect(Math.round(Number(report['Total']) * 100)).toBe(sumFor(id));
      }
      for (const id of result.editedReportIds) expect(byId.get(id)?.['Name']).not.toBe(oldById.get(id)?.['Name']);
      for (const id of result.newReportIds) {
        expect(byId.get(id)?.['ApprovalStatusCode']).toBe('A_NOTF');
        expect(byId.get(id)?.['SubmitDate']).toBeNull();
      }

      // New entries: in old reports, stamped now, listed by the API.
      expect(entriesAfter.length).toBeGreaterThan(entriesBefore.length + 3);
      for (const entryId of result.newEntryIds) {
        const entry = entriesAfter.find((e) => e['ID'] === entryId) as Json;
        expect(result.reportIdsWithNewEntries).toContain(entry['ReportID']);
        expect(concurMs(entry['LastModified'])).toBeGreaterThanOrEqual(startedMs);
        const owner = String(entry['ReportOwnerID']);
        const byIdReply = await get(sim.url, `/api/v3.0/expense/entries/${encodeURIComponent(entryId)}?user=${owner}`, token);
        expect(byIdReply.body).toEqual(entry);
      }
      const listed = await collect(sim.url, '/api/v3.0/expense/entries?user=ALL&limit=100', token);
      expect(listed.items).toEqual(entriesAfter);
    } finally {
      await sim.stop();
    }
  });

  it('is deterministic for a seed and call sequence, and validates its body', async () => {
    const [a, b] = await Promise.all([startSimulator(ARGS), startSimulator(ARGS)]);
    try {
      for (const body of [{ newReports: 1, editReports: 2, newEntries: 2 }, { editReports: 1 }, { newEntries: 3 }]) {
        const [ra, rb] = await Promise.all([a.mutate(body), b.mutate(body)]);
        expect(ra).toEqual(rb);
      }
      const bad = await fetch(`${a.url}/_sim/mutate`, { method: 'POST', body: JSON.stringify({ newReports: -1 }) });
      expect(bad.status).toBe(400);
      const notJson = await fetch(`${a.url}/_sim/mutate`, { method: 'POST', body: '{' });
      expect(notJson.status).toBe(400);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
