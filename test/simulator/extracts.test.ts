import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, get, userToken, type Json } from './support.js';
import { decodeList, decodeRecord, loadSchema, parseXml, shapeProblems, without } from './xml-support.js';

const BASE = '/api/expense/extract/v1.0';
const TIME_FORMS = [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,3}$/];
const lastSegment = (url: unknown): string => String(url).split('/').at(-1) ?? '';
const startMs = (value: unknown): number => Date.parse(String(value).endsWith('Z') ? String(value) : `${String(value)}Z`);

describe('Extracts v1 (XML)', () => {
  let sim: Simulator;
  let admin: string;
  const definitionSchema = without(loadSchema('extract_definitions'), ['definition_id']);
  const jobSchema = without(loadSchema('extract_jobs'), ['job_id', 'definition_id']);

  beforeAll(async () => {
    sim = await startSimulator(['--seed', '8', '--users', '3', '--reports', '5', '--extract-jobs', '130']);
    admin = await adminToken(sim);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const definitions = async (): Promise<Json[]> => {
    const r = await get(sim.url, `${BASE}/`, admin);
    expect(r.status).toBe(200);
    return decodeList(r.text, definitionSchema);
  };

  it('lists the definitions (absolute ids, some job-links without /job), equal to the ground truth', async () => {
    const defs = await definitions();
    expect(defs).toEqual(await sim.data('extract_definitions'));
    for (const d of defs) {
      expect(shapeProblems(d, definitionSchema)).toEqual([]);
      expect(String(d['id'])).toMatch(new RegExp(`^${sim.url}/api/expense/extract/v1\\.0/[^/]+$`));
    }
    expect(defs.filter((d) => d['job-link'] === `${String(d['id'])}/job`).length).toBeGreaterThan(0);
    expect(defs.filter((d) => d['job-link'] === d['id']).length).toBeGreaterThan(0);
    expect(defs.some((d) => String(d['name']).includes('&'))).toBe(true);
    // One definition by id (its sample orders id, name, job-link).
    const first = defs[0] as Json;
    const one = await get(sim.url, `${BASE}/${encodeURIComponent(lastSegment(first['id']))}`, admin);
    expect(one.status).toBe(200);
    expect(parseXml(one.text).children.map((c) => c.name)).toEqual(['id', 'name', 'job-link']);
    expect(decodeRecord(one.text, definitionSchema)).toEqual(first);
  });

  it('jobs: the last 100, newest first, mixed time forms, a running job without stop-time/file-link; detail, status, file', async () => {
    const truth = await sim.data('extract_jobs');
    const defs = await definitions();
    const all: Json[] = [];
    for (const d of defs) {
      const id = lastSegment(d['id']);
      const r = await get(sim.url, `${BASE}/${encodeURIComponent(id)}/job`, admin);
      expect(r.status).toBe(200);
      const jobs = decodeList(r.text, jobSchema);
      expect(jobs).toHaveLength(100);
      const starts = jobs.map((j) => startMs(j['start-time']));
      expect([...starts].sort((a, b) => b - a)).toEqual(starts);
      for (const job of jobs) {
        expect(shapeProblems(job, jobSchema)).toEqual([]);
        expect(String(job['id']).startsWith(`${String(d['id'])}/job/`)).toBe(true);
        expect(TIME_FORMS.some((re) => re.test(String(job['start-time'])))).toBe(true);
      }
      all.push(...jobs.map((j) => ({ ...j, DefinitionID: id })));
    }
    expect(all).toEqual(truth);
    const statuses = new Set(all.map((j) => j['status']));
    for (const s of ['Completed', 'Complete', 'Failed']) expect(statuses).toContain(s);
    for (const re of TIME_FORMS) expect(all.some((j) => re.test(String(j['start-time'])))).toBe(true);
    const running = all.filter((j) => j['stop-time'] === null);
    expect(running.length).toBeGreaterThanOrEqual(1);
    for (const j of running) {
      expect(['Queued', 'In Process']).toContain(j['status']);
      expect(j['file-link']).toBeNull();
    }
    expect(all.filter((j) => j['status'] === 'Failed').every((j) => j['file-link'] === null && j['stop-time'] !== null)).toBe(true);

    const done = all.find((j) => j['file-link'] !== null) as Json;
    const url = new URL(String(done['id']));
    for (const suffix of ['', '/status']) {
      const r = await get(sim.url, `${url.pathname}${suffix}`, admin);
      expect(r.status).toBe(200);
      const { DefinitionID: _omit, ...expected } = done;
      expect(decodeRecord(r.text, jobSchema)).toEqual(expected);
    }
    const file = await get(sim.url, new URL(String(done['file-link'])).pathname, admin);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const runningJob = running[0] as Json;
    expect((await get(sim.url, `${new URL(String(runningJob['id'])).pathname}/file`, admin)).status).toBe(404);
  });

  it('needs an administrator (403 naming the roles); unknown definition or job → 404 XML', async () => {
    const user = await userToken(sim);
    const denied = await get(sim.url, `${BASE}/`, user);
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Company Administrator');
    expect(denied.text).toContain('Web Services Administrator');
    expect(parseXml(denied.text).name).toBe('Error');
    const unknown = await get(sim.url, `${BASE}/nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd/job`, admin);
    expect(unknown.status).toBe(404);
    expect(parseXml(unknown.text).name).toBe('Error');
    const defs = await definitions();
    const id = encodeURIComponent(lastSegment(defs[0]?.['id']));
    expect((await get(sim.url, `${BASE}/${id}/job/gWnosuchjob`, admin)).status).toBe(404);
  });

  it('POST /_sim/mutate newJobs: a new newest job per definition (Queued), the oldest beyond 100 drops out, earlier running jobs finish', async () => {
    const defs = await definitions();
    const id = lastSegment(defs[0]?.['id']);
    const before = decodeList((await get(sim.url, `${BASE}/${encodeURIComponent(id)}/job`, admin)).text, jobSchema);
    const result = await sim.mutate({ newJobs: 1 });
    expect(result.newJobIds).toHaveLength(defs.length);
    const after = decodeList((await get(sim.url, `${BASE}/${encodeURIComponent(id)}/job`, admin)).text, jobSchema);
    expect(after).toHaveLength(100);
    expect(lastSegment(after[0]?.['id'])).toBe(result.newJobIds[0]);
    expect(after[0]?.['status']).toBe('Queued');
    expect(startMs(after[0]?.['start-time'])).toBeGreaterThan(startMs(before[0]?.['start-time']));
    expect(after.slice(1, 100).map((j) => j['id'])).toEqual(before.slice(0, 99).map((j) => j['id']));
    // The job that was running is finished now.
    expect(after[1]?.['stop-time']).not.toBeNull();
    const twice = await sim.mutate({ newJobs: 1 });
    const again = decodeList((await get(sim.url, `${BASE}/${encodeURIComponent(id)}/job`, admin)).text, jobSchema);
    expect(lastSegment(again[0]?.['id'])).toBe(twice.newJobIds[0]);
    expect(again[1]?.['status']).toMatch(/^Complete/);
    expect(again.map((j) => ({ ...j, DefinitionID: id }))).toEqual((await sim.data('extract_jobs')).filter((j) => j['DefinitionID'] === id));
  });
});
