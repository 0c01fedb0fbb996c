import { describe, expect, it } from 'vitest';
import { MemoryGuard, type MemoryLimitError } from '../../../src/protocol/memory-guard.js';

const MB = 1048576;

function guard(files: Record<string, string>, heap = { used: 10 * MB, limit: 4000 * MB }) {
  const warnings: string[] = [];
  const stops: MemoryLimitError[] = [];
  const g = new MemoryGuard({
    cgroupRoot: '/cg',
    readFile: (path) => files[path],
    heap: () => heap,
    onWarn: (m) => warnings.push(m),
    onLimit: (e) => stops.push(e),
  });
  return { g, warnings, stops, files };
}

describe('MemoryGuard', () => {
  it('reads cgroup v2, leaving out inactive file pages', () => {
    const { g } = guard({ '/cg/memory.max': '1000000000\n', '/cg/memory.current': '700000000\n', '/cg/memory.stat': 'anon 5\ninactive_file 200000000\n' });
    expect(g.read()).toEqual({ used: 500000000, limit: 1000000000, source: 'container' });
  });

  it('falls back to cgroup v1, and treats "max" and v1 huge limits as no limit', () => {
    const v1 = guard({ '/cg/memory.max': 'max\n', '/cg/memory/memory.limit_in_bytes': '2000000000', '/cg/memory/memory.usage_in_bytes': '1000000000', '/cg/memory/memory.stat': 'total_inactive_file 0\n' });
    expect(v1.g.read()).toEqual({ used: 1000000000, limit: 2000000000, source: 'container' });
    const none = guard({ '/cg/memory.max': 'max', '/cg/memory/memory.limit_in_bytes': '9223372036854771712', '/cg/memory/memory.usage_in_bytes': '5' });
    expect(none.g.read()?.source).toBe('heap');
  });

  it('warns once at 80%, stops once at 90%, whichever limit is closer', () => {
    const t = guard({ '/cg/memory.max': String(1000 * MB), '/cg/memory.current': String(850 * MB) });
    t.g.check();
    t.g.check();
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/85% of the container's memory limit \(850 MB of 1000 MB\)/);
    t.files['/cg/memory.current'] = String(950 * MB);
    t.g.check();
    t.g.check();
    expect(t.stops).toHaveLength(1);
    expect(t.stops[0]?.failureType).toBe('system_error');
    expect(t.stops[0]?.message).toMatch(/95% of the container's memory limit .* resumes from it/);

    const heap = guard({}, { used: 3700 * MB, limit: 4000 * MB });
    heap.g.check();
    expect(heap.stops[0]?.message).toMatch(/93% of Node's heap limit/);
  });
});
