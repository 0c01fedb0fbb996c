import { describe, expect, it } from 'vitest';
import { defineStream, type DateFilter, type FetchContext, type RecordData, type StreamDef, type Window } from '../../../src/engine/define.js';
import { readStreamBatches, type EngineBatch, type ReadContext } from '../../../src/engine/read-stream.js';

type EngineItem = { kind: 'record'; data: RecordData; nulled: readonly string[] } | { kind: 'checkpoint'; state: Record<string, unknown> };

/** The engine's batches a record at a time, checkpoints in place (estimates left out). */
async function* readStream<Options>(def: StreamDef<Options>, ctx: ReadContext<Options>, state: Record<string, unknown> | null): AsyncGenerator<EngineItem> {
  for await (const item of readStreamBatches(def, ctx, state)) {
    if (item.kind === 'checkpoint') yield item;
    else if (item.kind === 'records') for (const { data, nulled } of item.records) yield { kind: 'record', data, nulled };
  }
}

/** Dates in these fake APIs are the window itself: the filter's parameters are not looked at. */
const FILTER: DateFilter = { after: 'after', before: 'before', bounds: 'exclusive', stepMs: 1, format: String };

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

interface Report { ID: string; Modified: number; Children: number }
/** A fake API: reports with modification times, children per report; records every request. */
function fakeApi(reports: Report[]) {
  const requests: string[] = [];
  const parent = defineStream<null>({
    name: 'parents',
    primaryKey: ['ID'],
    cursor: { kind: 'server', field: 'Modified', filter: FILTER },
    pages: async function* (ctx: FetchContext<null>) {
      const w = ctx.window as Window;
      requests.push(`${ctx.probe ? 'probe' : 'parents'} ${(w.start - T0) / DAY}..${(w.end - T0) / DAY}`);
      const matching = reports.filter((r) => r.Modified >= w.start && r.Modified < w.end).map((r) => ({ ...r }) as RecordData);
      for (let i = 0; i < matching.length; i += 2) yield matching.slice(i, i + 2);
    },
  });
  const child = defineStream<null>({
    name: 'children',
    primaryKey: ['ID'],
    parent: { stream: parent, inherit: { ParentModified: 'Modified' }, filter: (p) => (p['Children'] as number) > 0 },
    cursor: { field: 'ParentModified' },
    pages: async function* (ctx) {
      const p = ctx.parent as unknown as Report;
      requests.push(`children of ${p.ID}`);
      await new Promise((r) => setTimeout(r, p.Children % 3));
      yield Array.from({ length: p.Children }, (_, i) => ({ ID: `${p.ID}-${i}` }) as RecordData);
    },
  });
  return { parent, child, requests };
}

function context(overrides: Partial<ReadContext<null>> = {}): ReadContext<null> {
  return {
    options: null,
    signal: new AbortController().signal,
    log: quiet,
    shaper: (record) => ({ data: record, nulled: [] }),
    windows: { configStart: T0, end: T0 + 10 * DAY, now: T0 + 10 * DAY, sliceDays: 4, recordsPerCheckpoint: 2000, lookbackMs: 0 },
    concurrency: 4,
    incremental: true,
    ...overrides,
  };
}

async function collect(items: AsyncIterable<EngineItem>) {
  const out: string[] = [];
  for await (const item of items) out.push(item.kind === 'record' ? String(item.data['ID']) : `state:${String(item.state['cursor'] ?? JSON.stringify(item.state))}`);
  return out;
}

const day = (n: number) => new Date(T0 + n * DAY).toISOString();

describe('readStream', () => {
  const reports: Report[] = [
    { ID: 'r1', Modified: T0 + 0.5 * DAY, Children: 2 },
    { ID: 'r2', Modified: T0 + 1 * DAY, Children: 0 },
    { ID: 'r3', Modified: T0 + 5 * DAY, Children: 3 },
    { ID: 'r4', Modified: T0 + 9.9 * DAY, Children: 1 },
  ];

  it('reads date windows and checkpoints at each window end; where the data starts is found by halving the range', async () => {
    const { parent, requests } = fakeApi(reports);
    expect(await collect(readStream(parent, context(), null))).toEqual(['r1', 'r2', `state:${day(4)}`, 'r3', 'r4', `state:${day(10)}`]);
    // Two probes halve the range down to a window's size; the first window's two reports let the next one grow.
    expect(requests).toEqual(['probe 0..5', 'probe 0..2.5', 'parents 0..4', 'parents 4..10']);
  });

  it('fans out children per parent in parent order, skipping filtered parents, with parent fields inherited', async () => {
    const { child, requests } = fakeApi(reports);
    const items: EngineItem[] = [];
    for await (const item of readStream(child, context(), null)) items.push(item);
    expect(items.map((i) => (i.kind === 'record' ? i.data['ID'] : 'state'))).toEqual(['r1-0', 'r1-1', 'state', 'r3-0', 'r3-1', 'r3-2', 'r4-0', 'state']);
    expect(items[0]?.kind === 'record' && items[0].data['ParentModified']).toBe(T0 + 0.5 * DAY);
    expect(requests.filter((r) => r.startsWith('children'))).toEqual(['children of r1', 'children of r3', 'children of r4']);
  });

  it('resumes from the state cursor minus the lookback; a range shorter than a window costs no probe', async () => {
    const { parent, requests } = fakeApi(reports);
    const ctx = context({ windows: { configStart: T0, end: T0 + 10 * DAY, now: T0 + 10 * DAY, sliceDays: 30, recordsPerCheckpoint: 2000, lookbackMs: DAY } });
    expect(await collect(readStream(parent, ctx, { cursor: day(6) }))).toEqual(['r3', 'r4', `state:${day(10)}`]); // r3 (day 5) is in the lookback overlap
    expect(requests).toEqual(['parents 5..10']);
  });

  it('ignores the state in full refresh', async () => {
    const { parent } = fakeApi(reports);
    expect((await collect(readStream(parent, context({ incremental: false }), { cursor: day(6) }))).filter((x) => !x.startsWith('state'))).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('emits nothing but an unchanged state for a far-future cursor', async () => {
    const { parent, requests } = fakeApi(reports);
    expect(await collect(readStream(parent, context(), { cursor: '2099-01-01T00:00:00.000Z' }))).toEqual(['state:2099-01-01T00:00:00.000Z']);
    expect(requests).toEqual([]);
  });

  it('reads a parent modified during the sync (seen in two windows) once, children included', async () => {
    const moving: Report = { ID: 'm', Modified: T0 + DAY, Children: 1 };
    const { child } = fakeApi([moving]);
    const out: string[] = [];
    for await (const item of readStream(child, context(), null)) {
      if (item.kind === 'record') out.push(String(item.data['ID']));
      else moving.Modified = T0 + 9 * DAY; // edited while the sync runs: now also in the last window
    }
    expect(out).toEqual(['m-0']);
  });

  it('skips empty history with a few probes (one checkpoint for it), then reads the data in growing windows', async () => {
    const busy: Report[] = Array.from({ length: 6 }, (_, i) => ({ ID: `b${i}`, Modified: T0 + (300 + i * 5) * DAY, Children: 0 }));
    const { parent, requests } = fakeApi(busy);
    const ctx = context({ windows: { configStart: T0, end: T0 + 330 * DAY, now: T0 + 330 * DAY, sliceDays: 10, recordsPerCheckpoint: 2000, lookbackMs: 0 } });
    const out = await collect(readStream(parent, ctx, null));
    expect(out.filter((x) => !x.startsWith('state'))).toEqual(busy.map((r) => r.ID));
    const probes = requests.filter((r) => r.startsWith('probe'));
    const reads = requests.filter((r) => r.startsWith('parents'));
    // 330 days are halved down to 10: about log2(33) probes, instead of a request per 10 empty days.
    expect(probes.length).toBeLessThanOrEqual(7);
    expect(reads).toHaveLength(2);
    // The empty 299 days end at one checkpoint, every checkpoint only moves forward, the last is the range's end.
    const cursors = out.filter((x) => x.startsWith('state')).map((x) => Date.parse(x.slice(6)));
    expect(out[0]).toMatch(/^state:/);
    expect(cursors[0]).toBeGreaterThan(T0 + 290 * DAY);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors.at(-1)).toBe(T0 + 330 * DAY);
  });

  it('ends a stream without a cursor with the no-cursor marker', async () => {
    const flat = defineStream<null>({
      name: 'flat',
      primaryKey: ['ID'],
      pages: async function* () {
        yield [{ ID: 'a' }, { ID: 'b' }];
      },
    });
    expect(await collect(readStream(flat, context(), null))).toEqual(['a', 'b', 'state:{"__ab_no_cursor_state_message":true}']);
  });

  describe('streams Concur filters one way or not at all', () => {
    const rows = [
      { ID: 'old', At: day(-3) },
      { ID: 'in', At: day(2) },
      { ID: 'late', At: day(12) },
      { ID: 'undated', At: null },
    ];
    const asked: (Window | undefined)[] = [];
    const since = defineStream<null>({
      name: 'since',
      primaryKey: ['ID'],
      cursor: { kind: 'since', field: 'At', filter: FILTER },
      pages: async function* (ctx) {
        asked.push(ctx.window);
        // Concur's "on or after" filter, and nothing at the other end.
        yield rows.filter((r) => r.At === null || Date.parse(r.At) >= (ctx.window?.start ?? 0)).map((r) => ({ ...r }) as RecordData);
      },
    });
    const client = defineStream<null>({
      name: 'client',
      primaryKey: ['ID'],
      cursor: { kind: 'client', field: 'At' },
      pages: async function* () {
        yield rows.map((r) => ({ ...r }) as RecordData);
      },
    });

    it('since: asks from the range start, drops what was modified at or after the range end, and moves the state to the end', async () => {
      expect(await collect(readStream(since, context(), null))).toEqual(['in', 'undated', `state:${day(10)}`]);
      expect(asked.at(-1)).toEqual({ start: T0, end: T0 + 10 * DAY });
    });

    it('client: the configured range applies to the cursor field (start and end), a state narrows it further', async () => {
      expect(await collect(readStream(client, context(), null))).toEqual(['in', 'undated', `state:${day(2)}`]);
      expect(await collect(readStream(client, context({ windows: { configStart: undefined, end: T0 + 20 * DAY, now: T0 + 20 * DAY, sliceDays: 4, recordsPerCheckpoint: 2000, lookbackMs: 0 } }), null))).toEqual([
        'old',
        'in',
        'late',
        'undated',
        `state:${day(12)}`,
      ]);
      expect(await collect(readStream(client, context(), { cursor: day(3) }))).toEqual(['undated', `state:${day(3)}`]);
    });
  });
});

describe('estimates', () => {
  /** A root list of `total` users that says its total on the first page, 10 a page; `perUser` children each. */
  function usersApi(total: number, perUser: number) {
    const users = defineStream<null>({
      name: 'users',
      primaryKey: ['ID'],
      pages: async function* (ctx: FetchContext<null>) {
        ctx.estimate?.(total);
        for (let i = 0; i < total; i += 10) yield Array.from({ length: Math.min(10, total - i) }, (_, j) => ({ ID: `u${i + j}` }) as RecordData);
      },
    });
    const items = defineStream<null>({
      name: 'items',
      primaryKey: ['ID'],
      parent: { stream: users },
      pages: async function* (ctx) {
        const id = String(ctx.parent?.['ID']);
        yield Array.from({ length: perUser }, (_, k) => ({ ID: `${id}-${k}` }) as RecordData);
      },
    });
    return { users, items };
  }
  const estimates = async (items: AsyncIterable<EngineBatch>) => {
    const out: number[] = [];
    let records = 0;
    for await (const item of items) {
      if (item.kind === 'estimate') out.push(item.rows);
      if (item.kind === 'records') records += item.records.length;
    }
    return { out, records };
  };

  it('a root stream sends the total Concur gives, once, before its first records', async () => {
    const { users } = usersApi(35, 2);
    const { out, records } = await estimates(readStreamBatches(users, context(), null));
    expect([out, records]).toEqual([[35], 35]);
  });

  it("a child's estimate is its root's total times the children per root record so far, settling on the truth", async () => {
    const { items } = usersApi(200, 3);
    const { out, records } = await estimates(readStreamBatches(items, context({ concurrency: 4 }), null));
    expect(records).toBe(600);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((rows) => rows <= 600)).toBe(true);
    expect(out.at(-1)).toBeGreaterThanOrEqual(540);
    expect(out).toEqual([...out].sort((a, b) => a - b));
  });

  it('no estimate where the root gives no total', async () => {
    const { child } = fakeApi([{ ID: 'r1', Modified: T0, Children: 2 }]);
    expect((await estimates(readStreamBatches(child, context(), null))).out).toEqual([]);
  });
});
