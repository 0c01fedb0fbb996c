import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';

// The package root: this file is src/assets.ts in development and dist/assets.js when built; both sit one level down.
const root = fileURLToPath(new URL('../', import.meta.url));

export interface Spec {
  [key: string]: unknown;
  documentationUrl: string;
  connectionSpecification: Record<string, unknown>;
}

export function loadSpec(): Spec {
  return JSON.parse(readFileSync(`${root}spec.json`, 'utf8')) as Spec;
}

/** The JSON schema of a stream, from schemas/<name>.json. */
export function loadSchema(stream: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${root}schemas/${stream}.json`, 'utf8')) as Record<string, unknown>;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
}

/**
 * A stream's record checks as compiled when the package was built (dist/validators, scripts/build-validators.mjs),
 * or undefined when there are none for this very schema (not built, or the schema changed since).
 */
export async function loadRecordChecks(stream: string, schema: Record<string, unknown>): Promise<((record: unknown) => boolean)[] | undefined> {
  try {
    const compiled = (await import(pathToFileURL(`${root}dist/validators/${stream}.js`).href)) as { hash?: unknown; checks?: unknown };
    const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    return compiled.hash === hash && Array.isArray(compiled.checks) ? (compiled.checks as ((record: unknown) => boolean)[]) : undefined;
  } catch {
    return undefined;
  }
}
