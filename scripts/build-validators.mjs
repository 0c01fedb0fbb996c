#!/usr/bin/env node
// Compiles every stream's record check (the hot path's, src/engine/shape.ts fastSchemas) ahead of time into
// dist/validators/<stream>.js as ajv standalone code, so that a sync does not spend tens of milliseconds per stream
// compiling it. The connector uses a file when its schema hash matches and compiles at run time otherwise (as it
// does the rarely needed check that lists every error). Part of `npm run build`, after tsc.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { createAjv } from '../dist/common/json-schema.js';
import { fastSchemas } from '../dist/engine/shape.js';

const standaloneCode = standaloneModule.default ?? standaloneModule;
// ajv-formats' formats are referenced with require(); the generated files are ES modules.
const PRELUDE = 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n';

const out = 'dist/validators';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of readdirSync('schemas').filter((f) => f.endsWith('.json')).sort()) {
  const name = file.replace(/\.json$/, '');
  const schema = JSON.parse(readFileSync(`schemas/${file}`, 'utf8'));
  const hash = schemaHash(schema);
  const fast = createAjv({ allErrors: false, lenientDateTime: true, source: true });
  const parts = fastSchemas(schema).map((part, i) => {
    fast.addSchema(part, `fast${i}`);
    return `fast${i}`;
  });
  const fastCode = standaloneCode(fast, Object.fromEntries(parts.map((id) => [id, id])));
  writeFileSync(`${out}/${name}.js`, `${PRELUDE}${fastCode}\nexport const hash = ${JSON.stringify(hash)};\nexport const checks = [${parts.join(', ')}];\n`);
}

/** The same hash src/assets.ts computes of a loaded schema. */
function schemaHash(schema) {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
