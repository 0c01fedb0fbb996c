import type { ServerResponse } from 'node:http';
import { loadSchema } from '../../../src/assets.js';
import type { StreamDef } from '../../../src/engine/define.js';
import { readStreamBatches, type EngineBatch } from '../../../src/engine/read-stream.js';
import { compileShaper } from '../../../src/engine/shape.js';
import type { StreamEnv } from '../../../src/streams/env.js';
import { startConcur, type ConcurFixture, type Recorded } from '../concur/loopback.js';

export type Reply = string | { status: number; body: string | Buffer; type?: string };
/** Route table: pathname (decoded) → reply, or a function of the request. */
export type Routes = Record<string, Reply | ((req: Recorded, url: URL) => Reply)>;

function send(res: ServerResponse, reply: Reply): void {
  const { status, body, type } = typeof reply === 'string' ? { status: 200, body: reply, type: undefined } : reply;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const contentType = type ?? (bytes.subarray(0, 64).toString('utf8').trimStart().startsWith('<') ? 'application/xml' : 'application/json');
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.length) });
  res.end(bytes);
}

export interface StreamRun {
  records: Record<string, unknown>[];
  changes: string[][];
  states: Record<string, unknown>[];
  requests: Recorded[];
  warnings: string[];
}

/**
 * Reads one stream through the real engine, record shaper and schema, against a loopback Concur answering
 * `routes`. What comes out is what the connector would emit.
 */
export async function runStream(
  def: StreamDef<StreamEnv>,
  routes: Routes,
  options: { env?: Partial<StreamEnv>; state?: Record<string, unknown> | null; incremental?: boolean; end?: number; start?: number; idClaims?: Record<string, unknown> } = {},
): Promise<StreamRun> {
  let fixture: ConcurFixture | undefined;
  try {
    fixture = await startConcur((req, res) => {
      const url = new URL(req.url, 'http://x');
      const route = routes[decodeURIComponent(url.pathname)];
      if (route === undefined) return send(res, { status: 404, body: '<Error><Message>no such route</Message></Error>' });
      send(res, typeof route === 'function' ? route(req, url) : route);
    }, { retry: { maxAttempts: 2, maxAttemptsRateLimited: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }, ...(options.idClaims ? { idClaims: options.idClaims } : {}) });
    const warnings: string[] = [];
    const log = { debug: () => undefined, info: () => undefined, warn: (m: string) => void warnings.push(m) };
    const schema = loadSchema(def.name);
    const start = options.start ?? Date.UTC(2026, 0, 1);
    const end = options.end ?? Date.UTC(2026, 1, 1);
    const env: StreamEnv = {
      client: fixture.client,
      tokenUrl: 'http://127.0.0.1/oauth2/v0/token',
      tokenUrlExplicit: false,
      baseUrl: undefined,
      start,
      end,
      now: end,
      lookbackMs: 0,
      sliceDays: 3660,
      checkpointInterval: 2000,
      maxConcurrency: 2,
      timeoutMs: 30_000,
      tokenUser: undefined,
      grantCompanyId: undefined,
      user: 'ALL',
      reportStatuses: ['ACTIVE'],
      extractDefinitionIds: [],
      includeInactiveDelegators: false,
      userInformationApi: 'identity_v4_1',
      locationCountries: [],
      approvalStatusCodes: [],
      reportDateRange: undefined,
      principal: undefined,
      ...options.env,
    };
    const items: EngineBatch[] = [];
    for await (const item of readStreamBatches(
      def,
      {
        options: env,
        signal: new AbortController().signal,
        log,
        shaper: compileShaper(def.name, schema, log),
        windows: { configStart: start, end, now: end, sliceDays: 3660, recordsPerCheckpoint: 2000, lookbackMs: 0 },
        concurrency: 2,
        incremental: options.incremental ?? false,
        schemaFor: (name) => (name === def.name ? schema : undefined),
      },
      options.state ?? null,
    )) {
      items.push(item);
    }
    return {
      records: items.flatMap((i) => (i.kind === 'records' ? i.records.map((r) => r.data) : [])),
      changes: items.flatMap((i) => (i.kind === 'records' ? i.records.map((r) => [...r.nulled]) : [])),
      states: items.flatMap((i) => (i.kind === 'checkpoint' ? [i.state] : [])),
      requests: fixture.data.requests,
      warnings,
    };
  } finally {
    await fixture?.close();
  }
}

/** Both namespace forms Concur uses for the same API (docs/concur-api.md#xml-conventions). */
export const NAMESPACE_FORMS = ['http://www.concursolutions.com', 'https://www.concursolutions.com'] as const;
export const XSI = 'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"';

/** A document type with an entity: Concur never sends one, and it must never be expanded. */
export function withEntityBomb(xml: string): string {
  const root = /<([A-Za-z][\w:.-]*)/.exec(xml.replace(/^<\?xml[^>]*>/, ''))?.[1] ?? 'X';
  const bomb = `<!DOCTYPE ${root} [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`;
  return bomb + xml.replace(/>([^<>]*?)</, '>&c;<');
}
