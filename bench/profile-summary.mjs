#!/usr/bin/env node
// Summarises a V8 CPU profile (node --cpu-prof; `npm run bench -- --only json --cpu-prof DIR` writes one of the
// connector): self time by area (a package under node_modules, a connector module under dist/, node's own
// internals, garbage collection, idle) and the functions with the most self time.
//
//   node bench/profile-summary.mjs DIR/CPU.*.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length !== 1) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N]');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

// Self time of a node: the sum of the time deltas of the samples that landed in it.
const selfMs = new Map();
for (let i = 0; i < profile.samples.length; i++) selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);

function areaOf(url, name) {
  if (!url) return name.startsWith('(') ? name : `native: ${name || '(anonymous)'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `package: ${pkg[1]}`;
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `connector: dist/${dist[1]}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url.replace(/^file:\/\//, '');
}

const byArea = new Map();
const byFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const ms = selfMs.get(node.id) ?? 0;
  if (ms === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const area = areaOf(url, functionName);
  total += ms;
  byArea.set(area, (byArea.get(area) ?? 0) + ms);
  const where = url ? `${area.replace(/^(package|connector|node): /, '')}:${lineNumber + 1}` : area;
  const key = `${functionName || '(anonymous)'}  ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
}

const busy = total - (byArea.get('(idle)') ?? 0);
const rows = (map, limit) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => `${(ms / 1000).toFixed(2).padStart(8)} s  ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${name}`);
console.log(`${(total / 1000).toFixed(2)} s sampled, ${(busy / 1000).toFixed(2)} s not idle (percentages of the latter)\n`);
console.log('self time by area');
console.log(rows(byArea, 30).join('\n'));
console.log(`\nself time by function (top ${values.top})`);
console.log(rows(byFunction, Number(values.top)).join('\n'));
