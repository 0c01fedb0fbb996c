import { Rng, hash, uuidFrom } from '../random.js';
import { CITY_CODES } from './company-config.js';
import { locationId } from './entries.js';
import { CITIES } from './reference-data.js';
import { TAG } from './tags.js';
import type { Tenant } from './tenant.js';

/**
 * Locations v3 (no sample payload exists, docs/concur-api.md#locations): a table of --locations N places. The first entries are
 * the cities the expense entries use (same ID as their LocationID); the rest are generated from a list of world
 * cities: the city itself, its airport, then neighbourhoods.
 */

export interface LocationRecord {
  readonly AdministrativeRegion: string | null;
  readonly Country: string | null;
  readonly CountrySubdivision: string | null;
  readonly IATACode: string | null;
  readonly ID: string;
  readonly IsAirport: boolean | null;
  readonly IsBookingTool: boolean | null;
  readonly Latitude: number | null;
  readonly Longitude: number | null;
  readonly Name: string | null;
  readonly URI: string;
  readonly LocationNameId: string | null;
}

interface Place {
  readonly name: string;
  readonly country: string;
  readonly subdivision: string;
  readonly region: string | null;
  readonly iata: string;
  readonly lat: number;
  readonly lon: number;
}

/** The expense cities first (aligned with CITIES), then more world cities. */
const PLACES: readonly Place[] = [
  { name: 'Seattle', country: 'US', subdivision: 'US-WA', region: 'King County', iata: 'SEA', lat: 47.6062, lon: -122.3321 },
  { name: 'New York', country: 'US', subdivision: 'US-NY', region: 'New York County', iata: 'NYC', lat: 40.7128, lon: -74.006 },
  { name: 'San Francisco', country: 'US', subdivision: 'US-CA', region: 'San Francisco County', iata: 'SFO', lat: 37.7749, lon: -122.4194 },
  { name: 'Chicago', country: 'US', subdivision: 'US-IL', region: 'Cook County', iata: 'CHI', lat: 41.8781, lon: -87.6298 },
  { name: 'Austin', country: 'US', subdivision: 'US-TX', region: 'Travis County', iata: 'AUS', lat: 30.2672, lon: -97.7431 },
  { name: 'Boston', country: 'US', subdivision: 'US-MA', region: 'Suffolk County', iata: 'BOS', lat: 42.3601, lon: -71.0589 },
  { name: 'Vancouver', country: 'CA', subdivision: 'CA-BC', region: 'Metro Vancouver', iata: 'YVR', lat: 49.2827, lon: -123.1207 },
  { name: 'Montreal', country: 'CA', subdivision: 'CA-QC', region: 'Montreal', iata: 'YMQ', lat: 45.5017, lon: -73.5673 },
  { name: 'Toronto', country: 'CA', subdivision: 'CA-ON', region: 'Toronto', iata: 'YTO', lat: 43.6532, lon: -79.3832 },
  { name: 'London', country: 'GB', subdivision: 'GB-ENG', region: 'Greater London', iata: 'LON', lat: 51.5074, lon: -0.1278 },
  { name: 'Edinburgh', country: 'GB', subdivision: 'GB-SCT', region: 'City of Edinburgh', iata: 'EDI', lat: 55.9533, lon: -3.1883 },
  { name: 'Berlin', country: 'DE', subdivision: 'DE-BE', region: null, iata: 'BER', lat: 52.52, lon: 13.405 },
  { name: 'Munich', country: 'DE', subdivision: 'DE-BY', region: 'Upper Bavaria', iata: 'MUC', lat: 48.1351, lon: 11.582 },
  { name: 'Paris', country: 'FR', subdivision: 'FR-IDF', region: 'Paris', iata: 'PAR', lat: 48.8566, lon: 2.3522 },
  { name: 'Tokyo', country: 'JP', subdivision: 'JP-13', region: null, iata: 'TYO', lat: 35.6762, lon: 139.6503 },
  { name: 'Portland', country: 'US', subdivision: 'US-OR', region: 'Multnomah County', iata: 'PDX', lat: 45.5152, lon: -122.6784 },
  { name: 'Denver', country: 'US', subdivision: 'US-CO', region: 'Denver County', iata: 'DEN', lat: 39.7392, lon: -104.9903 },
  { name: 'Atlanta', country: 'US', subdivision: 'US-GA', region: 'Fulton County', iata: 'ATL', lat: 33.749, lon: -84.388 },
  { name: 'Miami', country: 'US', subdivision: 'US-FL', region: 'Miami-Dade County', iata: 'MIA', lat: 25.7617, lon: -80.1918 },
  { name: 'Calgary', country: 'CA', subdivision: 'CA-AB', region: 'Calgary', iata: 'YYC', lat: 51.0447, lon: -114.0719 },
  { name: 'Manchester', country: 'GB', subdivision: 'GB-ENG', region: 'Greater Manchester', iata: 'MAN', lat: 53.4808, lon: -2.2426 },
  { name: 'Frankfurt am Main', country: 'DE', subdivision: 'DE-HE', region: 'Darmstadt', iata: 'FRA', lat: 50.1109, lon: 8.6821 },
  { name: 'Hamburg', country: 'DE', subdivision: 'DE-HH', region: null, iata: 'HAM', lat: 53.5511, lon: 9.9937 },
  { name: 'Lyon', country: 'FR', subdivision: 'FR-ARA', region: 'Rhone', iata: 'LYS', lat: 45.764, lon: 4.8357 },
  { name: 'Amsterdam', country: 'NL', subdivision: 'NL-NH', region: 'Noord-Holland', iata: 'AMS', lat: 52.3676, lon: 4.9041 },
  { name: 'Madrid', country: 'ES', subdivision: 'ES-MD', region: 'Madrid', iata: 'MAD', lat: 40.4168, lon: -3.7038 },
  { name: 'Zurich', country: 'CH', subdivision: 'CH-ZH', region: 'Zurich', iata: 'ZRH', lat: 47.3769, lon: 8.5417 },
  { name: 'Singapore', country: 'SG', subdivision: 'SG-01', region: null, iata: 'SIN', lat: 1.3521, lon: 103.8198 },
  { name: 'Sydney', country: 'AU', subdivision: 'AU-NSW', region: 'City of Sydney', iata: 'SYD', lat: -33.8688, lon: 151.2093 },
  { name: 'Mexico City', country: 'MX', subdivision: 'MX-CMX', region: null, iata: 'MEX', lat: 19.4326, lon: -99.1332 },
  { name: 'Sao Paulo', country: 'BR', subdivision: 'BR-SP', region: 'Sao Paulo', iata: 'SAO', lat: -23.5505, lon: -46.6333 },
  { name: 'Mumbai', country: 'IN', subdivision: 'IN-MH', region: 'Mumbai City', iata: 'BOM', lat: 19.076, lon: 72.8777 },
];

const SUFFIXES = ['Downtown', 'Old Town', 'Harbour', 'North', 'South', 'East', 'West', 'Business District', 'Convention Center', 'University'] as const;

/** Number of locations with fixed ids shared with the expense entries. */
const ENTRY_CITIES = CITIES.length;

export function locationCount(t: Tenant): number {
  return t.config.locations;
}

/** IDs: the entry cities keep their entries' LocationID; the others use a reversible codec (O(1) GET by id). */
export function locationRecordId(t: Tenant, i: number): string {
  return i < ENTRY_CITIES ? locationId(t, i) : t.locationIds.encode(i, 0);
}

export function locationIndex(t: Tenant, id: string): number | undefined {
  const count = locationCount(t);
  const fixed = t.memo('entryCityIndex', () => new Map(CITIES.map((_, i) => [locationId(t, i), i])));
  const known = fixed.get(id);
  if (known !== undefined) return known < count ? known : undefined;
  const parts = t.locationIds.decode(id);
  if (parts === null || parts.lo !== 0 || parts.hi < ENTRY_CITIES || parts.hi >= count) return undefined;
  return parts.hi;
}

export function locationNameId(t: Tenant, i: number): string {
  return uuidFrom(hash(t.seed, TAG.location, i, 11), hash(t.seed, TAG.location, i, 12), hash(t.seed, TAG.location, i, 13), hash(t.seed, TAG.location, i, 14));
}

export function locationRecord(t: Tenant, i: number, base: string): LocationRecord {
  const id = locationRecordId(t, i);
  const placeIndex = i % PLACES.length;
  const place = PLACES[placeIndex] ?? PLACES[0];
  if (place === undefined) throw new Error('empty place table');
  const variant = Math.floor(i / PLACES.length);
  const rng = new Rng(hash(t.seed, TAG.location, i, 7));
  const airport = variant === 1;
  let name = place.name;
  let iata: string | null = i < ENTRY_CITIES ? (CITY_CODES[i] ?? place.iata) : place.iata;
  if (airport) name = `${place.name} International Airport`;
  else if (variant >= 2) {
    const suffix = SUFFIXES[(variant - 2) % SUFFIXES.length] ?? 'Central';
    const round = Math.floor((variant - 2) / SUFFIXES.length);
    name = `${place.name} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
    iata = null;
  }
  const jitter = variant === 0 ? 0 : (rng.float() - 0.5) * 0.2;
  const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    AdministrativeRegion: place.region,
    Country: place.country,
    CountrySubdivision: place.subdivision,
    IATACode: iata,
    ID: id,
    IsAirport: airport,
    IsBookingTool: variant <= 1 || rng.chance(0.2),
    Latitude: round6(place.lat + jitter),
    Longitude: round6(place.lon + jitter * 1.3),
    Name: name,
    URI: `${base}/api/v3.0/common/locations/${id}`,
    LocationNameId: locationNameId(t, i),
  };
}

/** The city name a location belongs to (the `city` filter). */
export function locationCity(i: number): string {
  return (PLACES[i % PLACES.length] ?? PLACES[0])?.name ?? '';
}
