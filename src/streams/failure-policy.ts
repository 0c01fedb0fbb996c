import { ConcurError, type ConcurErrorKind } from '../concur/errors.js';
import { OptionError, type RecordData } from '../engine/define.js';
import type { StreamContext } from './env.js';

/**
 * What an answer of a kind means for one stream's request set, instead of failing the stream:
 * - `skip`: the record asked for by its parent's id is gone (deleted after the list named it): a warning, no records.
 * - a function: the fix the user must make (an option, a credential kind), added to Concur's message; undefined
 *   when the answer is not about the options after all.
 * Kinds without a rule fail as they always do (failures.ts gives them their outcome).
 */
export type FailurePolicy = Partial<Record<ConcurErrorKind, 'skip' | ((ctx: StreamContext, error: ConcurError) => string | undefined)>>;

/** A stream's pages under its failure policy: the one place where such rules are applied. */
export function withFailurePolicy(
  stream: string,
  policy: FailurePolicy,
  pages: (ctx: StreamContext) => AsyncIterable<readonly RecordData[]>,
): (ctx: StreamContext) => AsyncIterable<readonly RecordData[]> {
  return async function* (ctx) {
    try {
      yield* pages(ctx);
    } catch (error) {
      const rule = error instanceof ConcurError ? policy[error.kind] : undefined;
      if (rule === undefined) throw error;
      const concurError = error as ConcurError;
      if (rule === 'skip') {
        ctx.log.warn(`${stream}: ${concurError.message} It was deleted in Concur after it was listed; skipped.`);
        return;
      }
      const fix = rule(ctx, concurError);
      if (fix === undefined) throw error;
      throw new OptionError(`${concurError.message} ${fix}`, { cause: error });
    }
  };
}
