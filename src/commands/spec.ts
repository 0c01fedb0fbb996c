import { loadSpec } from '../assets.js';
import type { Context } from '../context.js';

export async function spec(ctx: Context): Promise<number> {
  await ctx.out.write({ type: 'SPEC', spec: loadSpec() });
  return 0;
}
