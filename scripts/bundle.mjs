#!/usr/bin/env node
// Bundles the connector (dist/cli.js and everything it imports, dependencies included) into one ES module,
// dist/source-concur.mjs, which bin/source-concur.js runs: a process that loads one file instead of a few hundred
// starts in 0.25 s instead of 0.33 (README, Performance). Part of `npm run build`, after tsc.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/source-concur.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies (ajv) call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
