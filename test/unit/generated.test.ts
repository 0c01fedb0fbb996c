import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('generated types', () => {
  it('src/generated/ matches spec.json and schemas/ (run `npm run generate` after editing them)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/generate-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
