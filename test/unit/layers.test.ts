import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rule of this codebase: cli → source → {protocol, config, streams}; streams → {engine, concur}; protocol and concur
// import nothing of ours but the neutral common/ code; engine never sees concur or protocol.
const RULES: Record<string, string[]> = {
  protocol: ['protocol', 'common'],
  concur: ['concur', 'common'],
  engine: ['engine', 'common'],
  common: ['common'],
  config: ['config', 'common', 'generated', 'protocol', 'concur'],
  // streams read the resolved options (types only) and their generated record types.
  streams: ['streams', 'engine', 'concur', 'common', 'config', 'generated'],
  generated: ['generated'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layering', () => {
  for (const [layer, allowed] of Object.entries(RULES)) {
    it(`${layer}/ imports only ${allowed.join(', ')}`, () => {
      const violations: string[] = [];
      for (const file of files(join('src', layer))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
          const target = relative('src', join(file, '..', match[1] as string)).split('/')[0] ?? '';
          if (!allowed.includes(target.replace(/\.js$/, ''))) violations.push(`${file} imports ${match[1]}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('the simulator never imports the connector', () => {
    const violations = files('simulator/src').filter((file) => /from '(\.\.\/)+(src|dist)\//.test(readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });
});
