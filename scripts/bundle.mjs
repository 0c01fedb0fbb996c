#!/usr/bin/env node
// Bundles the connector (dist/cli.js and everything it imports, dependencies included) into one ES module,
// dist/source-concur.mjs, which bin/source-concur.js runs: a process that loads one file instead of a few hundred
// starts in 0.25 s instead of 0.33 (README, Performance). Part of `npm run build`, after tsc.
import { build } from 'esbuild';

const options = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies (ajv) call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};
await build({ ...options, entryPoints: ['dist/cli.js'], outfile: 'dist/source-concur.mjs' });
// The XML parser's worker thread (src/concur/xml-parser.ts looks for it beside the module that starts it).
await build({ ...options, entryPoints: ['dist/concur/xml-worker.js'], outfile: 'dist/xml-worker.mjs' });
