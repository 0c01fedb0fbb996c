import { describe, expect, it } from 'vitest';
import { locations } from '../../../src/streams/v3/locations.js';
import { expenseDelegators } from '../../../src/streams/xml/expense-delegators.js';
import { hostileCase } from '../../helpers/fault-report.js';
import { runStream } from '../streams/harness.js';

// Hostile payloads from the API, through the real client, engine and record shaper: no entity is ever
// expanded, nothing unbounded is buffered, and a record with a bad value is kept with that value nulled and named.

// For `npm run test:faults`: each payload is one hostile input, handled when the test's assertions hold; refused
// when the connector answered with the documented error, accepted when the record was kept.
const SUITE = 'hostile payloads';
const LOCATIONS = '/api/v3.0/common/locations';
const DELEGATORS = '/api/expense/expensereport/v1.1/Delegators';
const location = (overrides: Record<string, unknown> = {}) => ({
  ID: 'L1',
  Name: 'Seattle',
  Country: 'US',
  CountrySubdivision: 'US-WA',
  AdministrativeRegion: 'King County',
  IATACode: 'SEA',
  IsAirport: false,
  IsBookingTool: true,
  Latitude: 47.6,
  Longitude: -122.3,
  URI: 'https://example.com/locations/L1',
  LocationNameId: null,
  ...overrides,
});
const page = (...items: unknown[]) => JSON.stringify({ Items: items, NextPage: null });
const delegators = (body: string) => `<DelegatorsList xmlns="http://www.concursolutions.com/api/expense/expensereport/2011/03">${body}</DelegatorsList>`;
const delegator = '<Delegator><CanApprove>Y</CanApprove><DelegatorXUserID>X1</DelegatorXUserID></Delegator>';
const heapGrowth = async (run: () => Promise<unknown>): Promise<number> => {
  const before = process.memoryUsage().heapUsed;
  await run().catch(() => undefined);
  return process.memoryUsage().heapUsed - before;
};

describe('hostile XML', () => {
  it('a billion-laughs entity bomb is refused before any expansion, in bounded memory', async () => {
    await hostileCase(SUITE, 'XML payload (API)', async () => {
      const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
      const bomb = `<?xml version="1.0"?><!DOCTYPE DelegatorsList [${lol}]>${delegators(`<Delegator><DelegatorXUserID>&lol9;</DelegatorXUserID></Delegator>`)}`;
      let message = '';
      const growth = await heapGrowth(async () => {
        await runStream(expenseDelegators, { [DELEGATORS]: bomb }).catch((error: Error) => {
          message = error.message;
          throw error;
        });
      });
      expect(message).toMatch(/DOCTYPE\/ENTITY\); refused/);
      expect(growth).toBeLessThan(50 * 1024 * 1024); // expanded, the bomb would be ~3 GB of "lol"
      return true;
    });
  });

  it('an external entity (XXE) is refused and nothing is read from disk', async () => {
    await hostileCase(SUITE, 'XML payload (API)', async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>${delegators('<Delegator><DelegatorXUserID>&x;</DelegatorXUserID></Delegator>')}`;
      const error = (await runStream(expenseDelegators, { [DELEGATORS]: xxe }).catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/refused/);
      expect(error.message).not.toContain('&x;');
      return true;
    });
  });

  it('XML nested 100,000 levels deep is a clear payload error, not a crash', async () => {
    await hostileCase(SUITE, 'XML payload (API)', async () => {
      const deep = delegators(`<Delegator><DelegatorXUserID>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</DelegatorXUserID></Delegator>`);
      await expect(runStream(expenseDelegators, { [DELEGATORS]: deep })).rejects.toThrow(/malformed XML|nested deeper/);
      return true;
    });
  });

  it('a value of the wrong kind is nulled and reported; the record stays', async () => {
    await hostileCase(SUITE, 'XML payload (API)', async () => {
      const run = await runStream(expenseDelegators, { [DELEGATORS]: delegators(`${delegator}<Delegator><CanApprove><b>nested</b></CanApprove><DelegatorXUserID>X2</DelegatorXUserID></Delegator>`) });
      expect(run.records.map((r) => [r['DelegatorXUserID'], r['CanApprove']])).toEqual([
        ['X1', true],
        ['X2', null],
      ]);
      expect(run.changes).toEqual([[], ['CanApprove']]);
      return false;
    });
  });
});

describe('hostile JSON', () => {
  it('a value nested 100,000 levels deep in a declared field is nulled and reported', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const body = page(location({ ID: 'L0' })).replace('"Name":"Seattle"', `"Name":${deep}`);
      const run = await runStream(locations, { [LOCATIONS]: body });
      expect(run.records).toHaveLength(1);
      expect(run.records[0]?.['Name']).toBeNull();
      expect(run.changes).toEqual([['Name']]);
      return false;
    });
  });

  it('wrong types for schema fields: each bad value nulled and reported, integers strict, the good ones kept', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      const run = await runStream(locations, {
        [LOCATIONS]: page(location({ ID: 'L1', Latitude: 'north', IsAirport: 'yes' }), location({ ID: 'L2', Name: { text: 'x' }, Longitude: [1] }), location({ ID: 'L3' })),
      });
      expect(run.records.map((r) => r['ID'])).toEqual(['L1', 'L2', 'L3']);
      expect(run.changes.map((c) => [...c].sort())).toEqual([['IsAirport', 'Latitude'], ['Longitude', 'Name'], []]);
      expect(run.records[0]).toMatchObject({ Latitude: null, IsAirport: null, Longitude: -122.3, Name: 'Seattle' });
      return false;
    });
  });

  it('a record whose primary key is unusable is refused with a clear error (never emitted without a key)', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      await expect(runStream(locations, { [LOCATIONS]: page(location({ ID: { nested: true } })) })).rejects.toThrow(/locations: a record does not fit the schema/);
      return true;
    });
  });

  it('invalid UTF-8 is decoded with replacement characters; the record is kept', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      const text = page(location({ Name: 'Z\u00fcrich' }));
      const bytes = Buffer.from(text, 'utf8');
      const at = bytes.indexOf(Buffer.from('\u00fc', 'utf8'));
      bytes[at] = 0xff; // a byte that is never valid UTF-8
      const run = await runStream(locations, { [LOCATIONS]: { status: 200, body: bytes, type: 'application/json; charset=utf-8' } });
      expect(run.records).toHaveLength(1);
      expect(String(run.records[0]?.['Name'])).toMatch(/^Z\ufffd/);
      return false;
    });
  });

  it('a body larger than the response limit is refused while it streams in, not buffered whole', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      const huge = JSON.stringify({ Items: [location({ Name: 'x'.repeat(70 * 1024 * 1024) })], NextPage: null });
      const error = (await runStream(locations, { [LOCATIONS]: huge }).catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/more than 67108864 bytes .* refused/);
      return true;
    });
  });

  it('a 50 MB field within the response limit reaches the record whole (the writer then nulls it, see oversized-records)', async () => {
    await hostileCase(SUITE, 'JSON payload (API)', async () => {
      const run = await runStream(locations, { [LOCATIONS]: page(location({ Name: 'n'.repeat(50 * 1024 * 1024) })) });
      expect(run.records).toHaveLength(1);
      expect(String(run.records[0]?.['Name']).length).toBe(50 * 1024 * 1024);
      return false;
    });
  });
});
