import { readFileSync } from 'node:fs';
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
