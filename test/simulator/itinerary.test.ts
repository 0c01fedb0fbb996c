import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_ADMIN_LOGIN, SIM_USER_LOGIN, startSimulator, type Simulator } from '../helpers/simulator.js';
import { adminToken, get, userToken, type Json } from './support.js';
import { child, decodeList, loadSchema, parseXml, shapeProblems } from './xml-support.js';

const TRIPS = '/api/travel/trip/v1.1/';
const WIDE = 'startDate=2000-01-01&endDate=2040-12-31';
const DAY = 86_400_000;
const utc = (value: unknown): number => Date.parse(`${String(value)}Z`);

describe('Itinerary v1.1 trips (XML)', () => {
  let sim: Simulator;
  let user: string;
  let admin: string;
  const schema = loadSchema('travel_itineraries');

  beforeAll(async () => {
    // Trips spread from mid-2025 to mid-2027, so the default window (today - 30 days … + 12 months) holds some.
    sim = await startSimulator(['--seed', '4', '--users', '6', '--reports', '5', '--trips-per-user', '12', '--from', '2025-06-01', '--to', '2027-06-30']);
    [user, admin] = await Promise.all([userToken(sim), adminToken(sim)]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  const trips = async (query: string, token = user): Promise<Json[]> => {
    const r = await get(sim.url, `${TRIPS}?${query}`, token);
    expect(r.status, r.text).toBe(200);
    const root = parseXml(r.text);
    return root.name === 'ConnectResponse' ? decodeList(r.text, schema, ['Data', 'ItineraryInfoList']) : decodeList(r.text, schema);
  };

  it("defaults to the token user's trips ongoing from today - 30 days to today + 12 months (so older trips are missed)", async () => {
    const all = await sim.data('trips', { user: SIM_USER_LOGIN });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const end = new Date(today);
    const windowEnd = Date.UTC(end.getUTCFullYear() + 1, end.getUTCMonth(), end.getUTCDate()) + DAY;
    const expected = all.filter((t) => utc(t['EndDateLocal']) >= today - 30 * DAY && utc(t['StartDateLocal']) < windowEnd);
    const served = await trips('');
    expect(served).toEqual(expected);
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThan(all.length);
    expect(await trips(WIDE)).toEqual(all);
    for (const t of all) {
      expect(t['UserLoginId']).toBe(SIM_USER_LOGIN);
      expect(shapeProblems(t, schema)).toEqual([]);
      expect(t['TripStatus']).toBeNull();
      expect(String(t['id'])).toBe(`${sim.url}/api/travel/trip/v1.1/${String(t['TripId'])}`);
      expect(String(t['DateModifiedUtc'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    }
  });

  it('pages with includeMetadata=true: Paging(TotalPages, TotalItems, CurrentPage, ItemsPerPage, Previous/NextPageURL), 1-based Page', async () => {
    const expected = await sim.data('trips');
    const base = `${WIDE}&userid_type=login&userid_value=ALL&includeMetadata=true&ItemsPerPage=7`;
    const first = await get(sim.url, `${TRIPS}?${base}`, admin);
    const paging = child(child(parseXml(first.text), 'Metadata')!, 'Paging')!;
    const field = (name: string): string => child(paging, name)?.text ?? '';
    expect(Number(field('TotalItems'))).toBe(expected.length);
    expect(Number(field('TotalPages'))).toBe(Math.ceil(expected.length / 7));
    expect(field('CurrentPage')).toBe('1');
    expect(field('ItemsPerPage')).toBe('7');
    expect(field('PreviousPageURL')).toBe('');
    const next = field('NextPageURL');
    expect(next).toContain('Page=2');
    const collected: Json[] = [];
    const totalPages = Number(field('TotalPages'));
    for (let page = 1; page <= totalPages; page++) collected.push(...(await trips(`${base}&Page=${page}`, admin)));
    expect(collected).toEqual(expected);
    // NextPageURL is a working absolute URL on the request's host; the last page has none.
    const viaNext = await get(sim.url, next, admin);
    expect(decodeList(viaNext.text, schema, ['Data', 'ItineraryInfoList'])).toEqual(expected.slice(7, 14));
    const last = await get(sim.url, `${TRIPS}?${base}&Page=${totalPages}`, admin);
    const lastPaging = child(child(parseXml(last.text), 'Metadata')!, 'Paging')!;
    expect(child(lastPaging, 'NextPageURL')?.text).toBe('');
    expect(child(lastPaging, 'PreviousPageURL')?.text).toContain(`Page=${totalPages - 1}`);
    // Beyond the last page: empty. Without metadata: the bare list, 1000 items at most.
    expect(await trips(`${base}&Page=${totalPages + 1}`, admin)).toEqual([]);
    expect(await trips(`${WIDE}&userid_type=login&userid_value=ALL`, admin)).toEqual(expected);
    expect((await get(sim.url, `${TRIPS}?Page=0`, user)).status).toBe(400);
  });

  it('lastModifiedDate keeps trips modified on or after it (date or date-time, dashes or slashes); created filters narrow', async () => {
    const all = await sim.data('trips', { user: SIM_USER_LOGIN });
    const sorted = [...all].sort((a, b) => utc(a['DateModifiedUtc']) - utc(b['DateModifiedUtc']));
    const pivot = sorted[Math.floor(sorted.length / 2)] as Json;
    const at = String(pivot['DateModifiedUtc']);
    const since = await trips(`${WIDE}&lastModifiedDate=${at}`);
    expect(since).toEqual(all.filter((t) => utc(t['DateModifiedUtc']) >= utc(at)));
    expect(since.map((t) => t['TripId'])).toContain(pivot['TripId']);
    const after = new Date(utc(at) + 1000).toISOString().slice(0, 19);
    expect((await trips(`${WIDE}&lastModifiedDate=${after}`)).map((t) => t['TripId'])).not.toContain(pivot['TripId']);
    const day = at.slice(0, 10);
    const slashed = encodeURIComponent(day.replaceAll('-', '/'));
    expect(await trips(`startDate=2000%2F01%2F01&endDate=2040%2F12%2F31&lastModifiedDate=${slashed}`)).toEqual(await trips(`${WIDE}&lastModifiedDate=${day}`));
    expect(await trips(`${WIDE}&createdAfterDate=2039-01-01`)).toEqual([]);
    expect(await trips(`${WIDE}&createdBeforeDate=2001-01-01`)).toEqual([]);
    expect(await trips(`${WIDE}&createdAfterDate=2001-01-01&createdBeforeDate=2039-01-01`)).toEqual(all);
    expect((await get(sim.url, `${TRIPS}?lastModifiedDate=last-week`, user)).status).toBe(400);
  });

  it('userid_value needs the admin role (403 naming it); ALL or one login; includeCanceledTrips adds canceled trips and TripStatus', async () => {
    const denied = await get(sim.url, `${TRIPS}?userid_type=login&userid_value=ALL`, user);
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Web Services Administrator');
    expect(parseXml(denied.text).name).toBe('Error');
    expect((await get(sim.url, `${TRIPS}?userid_value=ALL`, admin)).status).toBe(400);
    expect(await trips(`${WIDE}&userid_type=login_id&userid_value=${SIM_USER_LOGIN}`, admin)).toEqual(await sim.data('trips', { user: SIM_USER_LOGIN }));
    expect(await trips(WIDE, admin)).toEqual(await sim.data('trips', { user: SIM_ADMIN_LOGIN }));
    const withCanceled = await trips(`${WIDE}&userid_type=login&userid_value=ALL&includeCanceledTrips=true`, admin);
    expect(withCanceled).toEqual(await sim.data('trips', { includeCanceledTrips: 'true' }));
    expect(withCanceled.length).toBeGreaterThan((await sim.data('trips')).length);
    expect(new Set(withCanceled.map((t) => t['TripStatus']))).toEqual(new Set([0, 1, 2]));
    // Some trips have no booking source: i:nil elements decode to null.
    expect(withCanceled.some((t) => t['BookingSource'] === null && t['RecordLocator'] === null)).toBe(true);
    expect(withCanceled.some((t) => String(t['TripName']).includes('&'))).toBe(true);
  });

  it('includeVirtualTrip=1 (and only 1) adds the virtual trips, which nothing else marks; with includeCanceledTrips=true too, every trip', async () => {
    const all = `${WIDE}&userid_type=login&userid_value=ALL`;
    const plain = await trips(all, admin);
    const virtual = await trips(`${all}&includeVirtualTrip=1`, admin);
    expect(virtual).toEqual(await sim.data('trips', { includeVirtualTrip: '1' }));
    expect(virtual.length).toBeGreaterThan(plain.length);
    const plainIds = new Set(plain.map((t) => t['TripId']));
    expect(virtual.filter((t) => plainIds.has(t['TripId']))).toEqual(plain);
    expect(virtual.every((t) => t['TripStatus'] === null)).toBe(true);
    for (const other of ['0', 'true', '']) expect(await trips(`${all}&includeVirtualTrip=${other}`, admin), other).toEqual(plain);
    // The token user's own list (no userid_value) follows the flag too.
    expect(await trips(`${WIDE}&includeVirtualTrip=1`)).toEqual(await sim.data('trips', { user: SIM_USER_LOGIN, includeVirtualTrip: '1' }));
    const canceled = await trips(`${all}&includeCanceledTrips=true`, admin);
    const every = await trips(`${all}&includeCanceledTrips=true&includeVirtualTrip=1`, admin);
    expect(every).toEqual(await sim.data('trips', { includeCanceledTrips: 'true', includeVirtualTrip: '1' }));
    expect(every).toHaveLength(7 * 12);
    const everyIds = new Set(every.map((t) => t['TripId']));
    for (const t of [...virtual, ...canceled]) expect(everyIds.has(t['TripId'])).toBe(true);
  });
});

describe('POST /_sim/mutate newTrips / editTrips', () => {
  it('adds and edits trips stamped now; lastModifiedDate from before the call returns exactly them', async () => {
    const sim = await startSimulator(['--seed', '6', '--users', '5', '--reports', '5', '--trips-per-user', '4']);
    try {
      const admin = await adminToken(sim);
      const before = await sim.data('trips', { includeCanceledTrips: 'true' });
      const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19);
      const result = await sim.mutate({ newTrips: 3, editTrips: 4 });
      expect(result.newTripIds).toHaveLength(3);
      expect(new Set(result.editedTripIds).size).toBe(4);
      const oldIds = new Set(before.map((t) => t['TripId']));
      expect(result.editedTripIds.every((id) => oldIds.has(id))).toBe(true);
      const after = await sim.data('trips', { includeCanceledTrips: 'true' });
      expect(after).toHaveLength(before.length + 3);
      const r = await get(sim.url, `${TRIPS}?${WIDE}&userid_type=login&userid_value=ALL&includeCanceledTrips=true&lastModifiedDate=${since}`, admin);
      const changed = decodeList(r.text, loadSchema('travel_itineraries'));
      expect(new Set(changed.map((t) => t['TripId']))).toEqual(new Set([...result.newTripIds, ...result.editedTripIds]));
      for (const id of result.editedTripIds) {
        const old = before.find((t) => t['TripId'] === id) as Json;
        const now = after.find((t) => t['TripId'] === id) as Json;
        expect(utc(now['DateModifiedUtc'])).toBeGreaterThan(utc(old['DateModifiedUtc']));
        expect(now['TripName']).not.toBe(old['TripName']);
      }
    } finally {
      await sim.stop();
    }
  });
});

describe('POST /_sim/mutate cancelTrips', () => {
  const every = { includeCanceledTrips: 'true', includeVirtualTrip: '1' };

  it('cancels distinct trips not canceled yet, stamped now; the list shows them, with TripStatus 2, only with includeCanceledTrips=true', async () => {
    const sim = await startSimulator(['--seed', '6', '--users', '5', '--reports', '5', '--trips-per-user', '4']);
    try {
      const admin = await adminToken(sim);
      const before = await sim.data('trips', every);
      const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().slice(0, 19);
      const result = await sim.mutate({ cancelTrips: 5 });
      expect(new Set(result.canceledTripIds).size).toBe(5);
      expect([...result.newTripIds, ...result.editedTripIds]).toEqual([]);
      const was = new Map(before.map((t) => [t['TripId'], t]));
      const after = await sim.data('trips', every);
      expect(after.map((t) => t['TripId'])).toEqual(before.map((t) => t['TripId']));
      for (const trip of after) {
        const old = was.get(trip['TripId']) as Json;
        if (!result.canceledTripIds.includes(String(trip['TripId']))) {
          expect(trip).toEqual(old);
          continue;
        }
        expect(old['TripStatus']).not.toBe(2);
        expect(trip['TripStatus']).toBe(2);
        expect(utc(trip['DateModifiedUtc'])).toBeGreaterThan(utc(old['DateModifiedUtc']));
        // A cancellation changes the status and the modification time only.
        expect({ ...trip, TripStatus: old['TripStatus'], DateModifiedUtc: old['DateModifiedUtc'] }).toEqual(old);
      }
      const changedSince = `${TRIPS}?${WIDE}&userid_type=login&userid_value=ALL&includeVirtualTrip=1&lastModifiedDate=${since}`;
      const hidden = await get(sim.url, changedSince, admin);
      expect(decodeList(hidden.text, loadSchema('travel_itineraries'))).toEqual([]);
      const shown = decodeList((await get(sim.url, `${changedSince}&includeCanceledTrips=true`, admin)).text, loadSchema('travel_itineraries'));
      expect(shown.map((t) => t['TripId']).sort()).toEqual([...result.canceledTripIds].sort());
      expect(shown.every((t) => t['TripStatus'] === 2)).toBe(true);
      // Asking for more than are left cancels the rest, each once.
      const left = after.filter((t) => t['TripStatus'] !== 2).map((t) => t['TripId']);
      const rest = await sim.mutate({ cancelTrips: 100_000 });
      expect([...rest.canceledTripIds].sort()).toEqual([...left].sort());
      expect((await sim.data('trips', every)).every((t) => t['TripStatus'] === 2)).toBe(true);
      expect((await sim.mutate({ cancelTrips: 3 })).canceledTripIds).toEqual([]);
      expect(await sim.data('trips')).toEqual([]);
      const bad = await fetch(`${sim.url}/_sim/mutate`, { method: 'POST', body: JSON.stringify({ cancelTrips: -1 }) });
      expect(bad.status).toBe(400);
    } finally {
      await sim.stop();
    }
  });

  it('is deterministic for a seed and call sequence, and asking for cancellations leaves the other picks unchanged', async () => {
    const args = ['--seed', '8', '--users', '6', '--reports', '5', '--trips-per-user', '5'];
    const [a, b, c] = await Promise.all([startSimulator(args), startSimulator(args), startSimulator(args)]);
    try {
      const [ra, rb, rc] = await Promise.all([
        a.mutate({ editTrips: 2, cancelTrips: 3 }),
        b.mutate({ editTrips: 2, cancelTrips: 3 }),
        c.mutate({ editTrips: 2 }),
      ]);
      expect(ra).toEqual(rb);
      expect(ra.canceledTripIds).toHaveLength(3);
      expect(rc.editedTripIds).toEqual(ra.editedTripIds);
      const statuses = async (sim: Simulator) => (await sim.data('trips', every)).map((t) => [t['TripId'], t['TripStatus']]);
      expect(await statuses(a)).toEqual(await statuses(b));
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});
