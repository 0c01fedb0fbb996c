import type { RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { v3List } from './requests.js';

const list = v3List('/api/v3.0/common/locations', () => ({}));
const listCountry = (country: string) => v3List('/api/v3.0/common/locations', () => ({ country }));

// docs/concur-api.md#locations: a global reference table, large; the `location_countries` option narrows it one country at a time.
export const locations = concurStream({
  name: 'locations',
  deprecated: { since: '2025-10-10', replacement: 'Localities v5' },
  pages: async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    if (ctx.options.locationCountries.length === 0) {
      yield* list(ctx);
      return;
    }
    for (const country of ctx.options.locationCountries) yield* listCountry(country)(ctx);
  },
});
