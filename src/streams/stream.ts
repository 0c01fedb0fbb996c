import { defineStream, type ChildStreamDef, type RootStreamDef, type StreamDef } from '../engine/define.js';
import type { StreamEnv } from './env.js';
import { withFailurePolicy, type FailurePolicy } from './failure-policy.js';

type Declared<D> = D extends unknown ? Omit<D, 'primaryKey'> & { primaryKey?: readonly string[]; failures?: FailurePolicy } : never;

/** A Concur stream as declared: the primary key may be left to the default, and answers may carry a failure policy. */
export type StreamDecl = Declared<RootStreamDef<StreamEnv>> | Declared<ChildStreamDef<StreamEnv>>;

/** Most Concur records are keyed by `ID`. */
const DEFAULT_PRIMARY_KEY = ['ID'] as const;

/** A stream of this source: its declaration with Concur's defaults, and its failure policy around its pages. */
export function concurStream(decl: StreamDecl): StreamDef<StreamEnv> {
  const { failures, primaryKey = DEFAULT_PRIMARY_KEY, ...def } = decl;
  const pages = failures ? withFailurePolicy(def.name, failures, def.pages) : def.pages;
  return defineStream({ ...def, primaryKey, pages } as StreamDef<StreamEnv>);
}
