import { DAY_MS, dayStart, formatTimestamp } from '../format.js';
import { Rng, hash } from '../random.js';
import { CITIES, type City } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Itinerary v1.1 trips. `--trips-per-user N` trips per user at start-up (trip index = user * N + j), spread
 * over [--from, --to]; /_sim/mutate appends new trips and edits or cancels existing ones (DateModifiedUtc = now).
 * Times: StartDateLocal/EndDateLocal are local wall-clock times, DateModifiedUtc is UTC; all are written
 * without an offset and with whole seconds.
 */

export const TRIP_CONFIRMED = 0;
export const TRIP_TICKETED = 1;
export const TRIP_CANCELED = 2;
/**
 * Share of trips that are virtual (booked offline through Concur Request): the list includes them only with
 * includeVirtualTrip=1. Nothing in ItineraryInfo marks them, so only the flag tells them apart.
 */
const VIRTUAL_SHARE = 0.05;

interface AddedTrip {
  readonly owner: number;
  readonly createdMs: number;
  readonly seq: number;
}

interface TripEdit {
  readonly modifiedMs: number;
  /** Edits so far (each renames the trip); a cancellation is not one. */
  readonly version: number;
  readonly canceled: boolean;
}

/** The mutable part of the trip table. */
export class TripState {
  private readonly added: AddedTrip[] = [];
  private readonly edits = new Map<number, TripEdit>();
  /** Bumped on every change (list caches key on it). */
  version = 0;

  constructor(
    readonly perUser: number,
    private readonly users: number,
  ) {}

  get initialCount(): number {
    return this.perUser * this.users;
  }

  get count(): number {
    return this.initialCount + this.added.length;
  }

  addedTrip(i: number): AddedTrip | undefined {
    return this.added[i - this.initialCount];
  }

  edit(i: number): TripEdit | undefined {
    return this.edits.get(i);
  }

  add(owner: number, createdMs: number): number {
    this.added.push({ owner, createdMs, seq: this.added.length });
    this.version++;
    return this.count - 1;
  }

  touch(i: number, modifiedMs: number): void {
    const previous = this.edits.get(i);
    this.edits.set(i, { modifiedMs, version: (previous?.version ?? 0) + 1, canceled: previous?.canceled ?? false });
    this.version++;
  }

  cancel(i: number, modifiedMs: number): void {
    this.edits.set(i, { modifiedMs, version: this.edits.get(i)?.version ?? 0, canceled: true });
    this.version++;
  }
}

/** What filters need: cheap to compute. */
export interface TripCore {
  readonly index: number;
  readonly owner: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly status: number;
  /** Listed only with includeVirtualTrip=1. */
  readonly virtual: boolean;
  readonly destination: City;
  readonly home: City;
  /** Seed of the presentation fields (name, booking source, locators). */
  readonly extra: number;
  readonly version: number;
}

const HOME_CITY: Readonly<Record<string, number>> = { 'US-WA': 0, 'US-NY': 1, 'US-CA': 2, 'CA-BC': 6, 'GB-ENG': 9, 'DE-BE': 11 };
const SECOND = 1000;

function seconds(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

export function tripOwner(t: Tenant, i: number): number {
  const added = t.trips.addedTrip(i);
  return added === undefined ? Math.floor(i / Math.max(1, t.trips.perUser)) : added.owner;
}

export function tripCore(t: Tenant, i: number): TripCore {
  const state = t.trips;
  const added = state.addedTrip(i);
  const owner = tripOwner(t, i);
  const user = t.user(owner);
  const seed = added === undefined ? hash(t.seed, TAG.trip, owner, (i % Math.max(1, state.perUser)) + 1) : hash(t.seed, TAG.tripMutation, added.seq, 3);
  const rng = new Rng(seed);
  const homeIndex = HOME_CITY[user.country.subdivision] ?? 0;
  let destinationIndex = rng.int(CITIES.length);
  if (destinationIndex === homeIndex) destinationIndex = (destinationIndex + 1 + rng.int(CITIES.length - 1)) % CITIES.length;
  const nights = rng.int(10);
  const startHour = rng.range(6, 11);
  const endHour = rng.range(14, 21);
  const minutes = rng.pick([0, 15, 30, 45]);
  const statusDraw = rng.float();
  const status = statusDraw < 0.08 ? TRIP_CANCELED : statusDraw < 0.58 ? TRIP_TICKETED : TRIP_CONFIRMED;
  let startDay: number;
  let createdMs: number;
  let modifiedMs: number;
  if (added === undefined) {
    const { fromMs, toMs } = t.config;
    const span = Math.max(DAY_MS, toMs - fromMs);
    startDay = dayStart(fromMs + rng.float() * span);
    createdMs = seconds(Math.max(fromMs, startDay - rng.range(1, 60) * DAY_MS + rng.int(DAY_MS)));
    const lastChange = Math.max(createdMs, Math.min(startDay, toMs));
    modifiedMs = seconds(createdMs + rng.float() * (lastChange - createdMs));
  } else {
    createdMs = seconds(added.createdMs);
    startDay = dayStart(added.createdMs + rng.range(7, 90) * DAY_MS);
    modifiedMs = createdMs;
  }
  const edit = state.edit(i);
  if (edit !== undefined) modifiedMs = edit.modifiedMs;
  // Its own stream, so the other fields of a trip are the same as before virtual trips existed.
  const virtual = new Rng(hash(t.seed, TAG.tripVirtual, i)).chance(VIRTUAL_SHARE);
  const home = CITIES[homeIndex] ?? CITIES[0];
  const destination = CITIES[destinationIndex] ?? CITIES[0];
  if (home === undefined || destination === undefined) throw new Error('empty city table');
  return {
    index: i,
    owner,
    startMs: startDay + startHour * 3_600_000 + minutes * 60_000,
    endMs: startDay + nights * DAY_MS + endHour * 3_600_000 + minutes * 60_000,
    createdMs,
    modifiedMs,
    status: edit?.canceled === true ? TRIP_CANCELED : status,
    virtual,
    destination,
    home,
    extra: hash(seed, 0x7e1),
    version: edit?.version ?? 0,
  };
}

/** Semantic ItineraryInfo (TripStatus is null, i.e. absent, unless includeCanceledTrips=true). */
export interface TripRecord {
  readonly TripId: string;
  readonly TripName: string;
  readonly TripStatus: number | null;
  readonly StartDateLocal: string;
  readonly EndDateLocal: string;
  readonly DateModifiedUtc: string;
  readonly UserLoginId: string;
  readonly BookingSource: string | null;
  readonly RecordLocator: string | null;
  readonly Passengers: string | null;
  readonly TravelerFirst: string | null;
  readonly TravelerLast: string | null;
  readonly id: string;
}

const SOURCES = ['Concur Travel', 'Concur Travel', 'Concur Travel', 'Sabre', 'Amadeus', 'TripIt'] as const;
const LOCATOR = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function tripId(t: Tenant, i: number): string {
  return t.tripIds.encode(i, 0);
}

export function tripIndex(t: Tenant, id: string): number | undefined {
  const parts = t.tripIds.decode(id);
  return parts === null || parts.lo !== 0 || parts.hi >= t.trips.count ? undefined : parts.hi;
}

function cityName(city: City): string {
  return city.name.split(',')[0] ?? city.name;
}

export function tripRecord(t: Tenant, core: TripCore, base: string, withStatus: boolean): TripRecord {
  const user = t.user(core.owner);
  const rng = new Rng(core.extra);
  const kind = rng.float();
  const baseName =
    kind < 0.06 ? `R&D Offsite in ${cityName(core.destination)}` : kind < 0.1 ? `${cityName(core.destination)} Sales Kickoff` : `Trip from ${cityName(core.home)} to ${cityName(core.destination)}`;
  const source = rng.chance(0.05) ? null : rng.pick(SOURCES);
  const locator = (): string => Array.from({ length: 6 }, () => LOCATOR[rng.int(LOCATOR.length)] ?? 'X').join('');
  const recordLocator = source === null ? null : rng.chance(0.2) ? `${locator()}, ${locator()}` : locator();
  const id = tripId(t, core.index);
  const record: TripRecord = {
    TripId: id,
    TripName: core.version === 0 ? baseName : `${baseName} (rev ${core.version})`,
    // Only with includeCanceledTrips=true; otherwise the element is absent (decoded: null).
    TripStatus: withStatus ? core.status : null,
    StartDateLocal: formatTimestamp(core.startMs),
    EndDateLocal: formatTimestamp(core.endMs),
    DateModifiedUtc: formatTimestamp(core.modifiedMs),
    UserLoginId: user.loginId,
    BookingSource: source,
    RecordLocator: recordLocator,
    Passengers: source === null ? null : user.displayName,
    TravelerFirst: user.firstName,
    TravelerLast: user.lastName,
    id: `${base}/api/travel/trip/v1.1/${id}`,
  };
  return record;
}
