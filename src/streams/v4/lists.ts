import type { StreamContext } from '../env.js';
import { concurStream } from '../stream.js';
import { listV4Pages } from './requests.js';

export const listsV4 = concurStream({
  name: 'lists_v4',
  primaryKey: ['id'],
  pages: (ctx: StreamContext) => listV4Pages(ctx, '/list/v4/lists', {}, ctx.estimate),
});
