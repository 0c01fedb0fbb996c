import { defineStream, type ChildStreamDef, type CursorDef, type ParentDef, type RootStreamDef, type StreamDef } from '../engine/define.js';
import type { StreamRecords } from '../generated/records.js';
import type { StreamEnv } from './env.js';
import { withFailurePolicy, type FailurePolicy } from './failure-policy.js';

/** The top-level fields of a stream's records as its schema declares them; any name for a list that is not a stream. */
type FieldOf<N extends string> = N extends keyof StreamRecords ? Extract<keyof StreamRecords[N], string> : string;

/** A stream of this source, with its name as a type, so that a child's declaration can be checked against it. */
export type ConcurStream<N extends string = string> = StreamDef<StreamEnv> & { readonly name: N };

type Shared = Omit<RootStreamDef<StreamEnv>, 'name' | 'primaryKey' | 'parent' | 'cursor' | 'appliesRange'>;

/**
 * A stream as declared, checked by tsc against the schemas: its primary key, its cursor field and each inherited
 * field must be fields of its records, and an inherited field's source a field of its parent's records.
 */
interface Declared<N extends string> extends Shared {
  readonly name: N;
  /** `ID` when left out: most Concur records are keyed by it. */
  readonly primaryKey?: readonly FieldOf<N>[];
  readonly failures?: FailurePolicy;
}

interface RootDecl<N extends string> extends Declared<N> {
  readonly parent?: undefined;
  readonly cursor?: CursorDef & { field: FieldOf<N> };
  readonly appliesRange?: (options: StreamEnv) => boolean;
}

interface ChildDecl<N extends string, P extends string> extends Declared<N> {
  readonly parent: Omit<ParentDef<StreamEnv>, 'stream' | 'inherit'> & {
    stream: ConcurStream<P>;
    inherit?: { readonly [K in FieldOf<N>]?: FieldOf<P> };
  };
  readonly cursor?: { field: FieldOf<N> } | (Extract<CursorDef, { kind: 'client' }> & { field: FieldOf<N> });
}

const DEFAULT_PRIMARY_KEY = ['ID'];

/** A stream of this source: its declaration with Concur's defaults, and its failure policy around its pages. */
export function concurStream<N extends string, P extends string = string>(decl: RootDecl<N> | ChildDecl<N, P>): ConcurStream<N> {
  const { failures, primaryKey = DEFAULT_PRIMARY_KEY, ...def } = decl;
  const pages = failures ? withFailurePolicy(def.name, failures, def.pages) : def.pages;
  return defineStream({ ...def, primaryKey, pages } as RootStreamDef<StreamEnv> | ChildStreamDef<StreamEnv>) as ConcurStream<N>;
}
