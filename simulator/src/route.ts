import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './auth/principals.js';
import type { FaultName } from './faults.js';
import type { ApiName } from './lifecycle.js';

/**
 * The contract between the core server and route families. A family (token, v3 expense,
 * later XML v1.1/v2, Extract, Itinerary, SCIM…) is a file exporting `Route[]`; adding one
 * touches routes/index.ts only.
 */

/** data: Concur API (auth + faults + request log); token: OAuth endpoint (log, no faults); admin: /_sim. */
export type RouteKind = 'data' | 'token' | 'admin';
/** Response body format: decides which malformed-* fault can apply. */
export type BodyFormat = 'json' | 'xml';
/**
 * Error body family: v3 JSON {"Error":{…}}, legacy XML <Error>, a SCIM error (Identity v4.1), the v4
 * ErrorMessage {timestamp, httpStatus, error:{id, message}, path} (List v4, List Item v4, Attendee Types v4), or
 * the other v4 ErrorMessage {errorId, errorMessage, httpStatus, path, timestamp} (Attendees v4, Expense
 * Configuration v4).
 */
export type ErrorStyle = 'v3' | 'xml' | 'scim' | 'v4' | 'v4-message';

/** Collections counted in /_sim/stats itemsServed. */
export const COLLECTIONS = [
  'reports',
  'entries',
  'itemizations',
  'allocations',
  'entry_attendee_associations',
  'attendees',
  'attendee_types',
  'group_configurations',
  'lists',
  'list_items',
  'attendee_types_v4',
  'lists_v4',
  'list_items_v4',
  'attendees_v4',
  'group_configurations_v4',
  'locations',
  'receipt_images',
  'card_charges',
  'delegators',
  'form_types',
  'forms',
  'form_fields',
  'extract_definitions',
  'extract_jobs',
  'report_summaries',
  'report_details',
  'trips',
  'identity_users',
  'user_profiles',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export type ListenerName = 'primary' | 'secondary';

export interface ListenerInfo {
  readonly name: ListenerName;
  /** This listener's own base URL (from its bound address), e.g. http://127.0.0.1:8080. */
  readonly baseUrl: string;
}

/** Query parameters with case-insensitive names (ASP.NET-style binding); first value wins. */
export class Query {
  private readonly values = new Map<string, string>();

  constructor(readonly search: URLSearchParams) {
    for (const [key, value] of search) {
      const name = key.toLowerCase();
      if (!this.values.has(name)) this.values.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }
}

export interface RequestContext {
  readonly method: string;
  readonly url: URL;
  /** Path as requested (original case). */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  readonly headers: IncomingHttpHeaders;
  readonly listener: ListenerInfo;
  /** scheme://host the client used (Host header): record URIs and NextPage are built on it. */
  readonly requestBase: string;
  readonly nowMs: number;
  /** The token's principal; set by the core for data routes before the handler runs. */
  readonly principal: Principal | null;
  readonly readBody: () => Promise<Buffer>;
  /** A fault decided inside a handler (token-expiry, deny-admin, rotate-refresh) fired. */
  readonly noteFault: (name: FaultName) => void;
  /** Identity shown in the request log (token route: principal and grant). */
  readonly noteIdentity: (user: string | null, grant: string | null) => void;
}

export interface ItemCount {
  readonly collection: CollectionName;
  readonly count: number;
}

/** Writes chunks with backpressure (awaits 'drain'). */
export interface StreamSink {
  write(chunk: string): Promise<void>;
}

export type RouteResult =
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      readonly items?: ItemCount;
    }
  | {
      /** A pre-rendered body (XML documents, files). */
      readonly kind: 'text';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>>;
      readonly items?: ItemCount;
    }
  | {
      readonly kind: 'stream';
      readonly status: number;
      readonly contentType: string;
      readonly write: (sink: StreamSink) => Promise<void>;
    };

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path with `{name}` captures; literal segments match case-insensitively. */
  readonly pattern: string;
  readonly kind: RouteKind;
  readonly format: BodyFormat;
  /** Error body family; default v3 for json routes, xml for xml routes. */
  readonly errors?: ErrorStyle;
  /** API family (lifecycle.ts): deprecation headers and --decommissioned apply by this name. */
  readonly api?: ApiName;
  readonly handle: (ctx: RequestContext) => RouteResult | Promise<RouteResult>;
}
