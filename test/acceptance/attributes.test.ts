import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byType, runCli } from '../helpers/run-cli.js';
import { acceptanceConfig, repoJson, repoText, REPO_ROOT, type Json } from './config.js';
import { discover, type AirbyteStream } from './support.js';

// CAT TestConnectorAttributes and TestConnectorDocumentation. discover is static (no network), so the config of
// the yaml is used as it is, without a simulator.
const { connector_attributes: attributeTests, connector_documentation: documentationTests } = acceptanceConfig();
const metadata = parse(repoText('metadata.yaml')) as { data: Json & { name: string; documentationUrl: string } };
const DOC = 'docs/sap-concur.md';
/** The template headings a source's doc must have, in this order (CAT test_docs_structure's required ones). */
const TEMPLATE_HEADINGS = ['Prerequisites', 'Setup guide', 'Supported sync modes', 'Supported streams', 'Changelog'];
/** CAT CREDENTIALS_KEYWORDS: a `credentials` field counts as described when one of these words is in Prerequisites. */
const CREDENTIALS_KEYWORDS = ['account', 'auth', 'credentials', 'access'];

interface Heading {
  level: number;
  text: string;
  line: number;
  slug: string;
}

/** Markdown headings outside fenced code blocks, with GitHub's anchor slugs (duplicates get -1, -2, …). */
export function headings(markdown: string): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  markdown.split('\n').forEach((raw, line) => {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) return;
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(raw);
    if (!m) return;
    const text = (m[2] as string).trim();
    const base = text
      .toLowerCase()
      .replace(/[`*_~]|<[^>]+>/g, (s) => (s === '_' ? '_' : ''))
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ level: (m[1] as string).length, text, line, slug: n === 0 ? base : `${base}-${n}` });
  });
  return out;
}

/** Link targets of inline links/images and reference definitions, outside fenced code blocks. */
export function links(markdown: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) continue;
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1] as string);
    const ref = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (ref) out.push(ref[1] as string);
  }
  return out;
}

describe.each(attributeTests.map((test, i) => ({ test, title: `connector_attributes[${i}] ${test.config_path}` })))('$title (CAT TestConnectorAttributes)', ({ test }) => {
  let streams: AirbyteStream[];
  beforeAll(async () => {
    streams = await discover(repoJson(test.config_path));
  });

  it('gives every discovered stream a source-defined primary key (test_streams_define_primary_key)', () => {
    const without = streams.filter((s) => !s.source_defined_primary_key || s.source_defined_primary_key.length === 0 || s.source_defined_primary_key.some((p) => p.length === 0));
    expect(without.map((s) => s.name)).toEqual([]);
  });

  it('declares allowed hosts in metadata.yaml (test_certified_connector_has_allowed_hosts)', () => {
    const hosts = (metadata.data['allowedHosts'] as { hosts?: unknown[] } | undefined)?.hosts;
    expect(Array.isArray(hosts) && hosts.length > 0, 'metadata.data.allowedHosts.hosts').toBe(true);
    for (const host of hosts ?? []) expect(typeof host === 'string' && host.trim() !== '', String(host)).toBe(true);
  });

  it('suggests streams that exist (test_certified_connector_has_suggested_streams)', () => {
    const suggested = (metadata.data['suggestedStreams'] as { streams?: unknown[] } | undefined)?.streams;
    expect(Array.isArray(suggested) && suggested.length > 0, 'metadata.data.suggestedStreams.streams').toBe(true);
    const names = streams.map((s) => s.name);
    expect((suggested ?? []).filter((name) => !names.includes(String(name))), 'suggested streams that discover does not list').toEqual([]);
  });
});

describe.each(documentationTests.map((test, i) => ({ test, title: `connector_documentation[${i}] ${test.config_path}` })))('$title (CAT TestConnectorDocumentation)', ({ test }) => {
  let doc: string;
  let heads: Heading[];
  let spec: Json;
  beforeAll(async () => {
    // Missing documentation is a failure, never a skip.
    doc = existsSync(join(REPO_ROOT, DOC)) ? readFileSync(join(REPO_ROOT, DOC), 'utf8') : '';
    heads = headings(doc);
    const result = await runCli(['spec']);
    spec = (byType(result.messages, 'SPEC')[0]?.['spec'] as Json)['connectionSpecification'] as Json;
  });

  it(`has ${DOC}, the page metadata.yaml documentationUrl points at`, () => {
    expect(existsSync(join(REPO_ROOT, DOC)), `${DOC} is missing`).toBe(true);
    expect(doc.trim().length).toBeGreaterThan(0);
    expect(metadata.data.documentationUrl.endsWith(`/${DOC}`), metadata.data.documentationUrl).toBe(true);
  });

  it('follows the template headings: the connector name, then Prerequisites, Setup guide, Supported sync modes, Supported streams, Changelog (test_docs_structure)', () => {
    expect(heads[0]?.level, 'the page starts with an H1').toBe(1);
    expect(heads[0]?.text).toBe(metadata.data.name);
    const order = TEMPLATE_HEADINGS.map((title) => heads.findIndex((h) => h.level === 2 && h.text === title));
    expect(Object.fromEntries(TEMPLATE_HEADINGS.map((t, i) => [t, order[i] !== -1])), 'template headings present (as ##)').toEqual(Object.fromEntries(TEMPLATE_HEADINGS.map((t) => [t, true])));
    expect([...order].sort((a, b) => a - b), 'template headings in template order').toEqual(order);
    expect(heads.at(-1)?.text === 'Changelog' || heads.findLast((h) => h.level <= 2)?.text === 'Changelog', 'Changelog is the last section').toBe(true);
  });

  it('names every required spec field in Prerequisites, top level and in each credentials option (test_prerequisites_content)', () => {
    const start = heads.find((h) => h.text === 'Prerequisites');
    expect(start, 'Prerequisites heading').toBeDefined();
    const end = heads.find((h) => h.line > (start?.line ?? 0));
    const section = doc
      .split('\n')
      .slice(start?.line ?? 0, end?.line)
      .join('\n')
      .toLowerCase();
    const missing: string[] = [];
    const check = (name: string, prop: Json | undefined, where: string): void => {
      const title = String(prop?.['title'] ?? '').toLowerCase();
      if (name === 'credentials') {
        if (!CREDENTIALS_KEYWORDS.some((k) => section.includes(k))) missing.push(`${where}credentials (none of ${CREDENTIALS_KEYWORDS.join(', ')})`);
        return;
      }
      if (!section.includes(name.toLowerCase()) && !(title !== '' && section.includes(title))) missing.push(`${where}${name}${title ? ` ("${title}")` : ''}`);
    };
    const props = spec['properties'] as Record<string, Json>;
    for (const name of (spec['required'] as string[] | undefined) ?? []) check(name, props[name], '');
    let options = 0;
    for (const [parent, prop] of Object.entries(props)) {
      for (const option of (prop['oneOf'] as Json[] | undefined) ?? []) {
        options++;
        const optionProps = option['properties'] as Record<string, Json>;
        const kind = Object.values(optionProps).find((p) => p['const'] !== undefined)?.['const'];
        for (const name of (option['required'] as string[] | undefined) ?? []) check(name, optionProps[name], `${parent}[${String(kind)}].`);
        // The option itself: its selector value should be named too, so a reader knows which option needs what.
        if (kind !== undefined && !section.includes(String(kind).toLowerCase())) missing.push(`${parent} option "${String(kind)}"`);
      }
    }
    expect(options, 'credentials options found in the spec').toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('has only relative links that resolve to files in the repository, and in-page anchors that exist', () => {
    const broken: string[] = [];
    const docDir = dirname(join(REPO_ROOT, DOC));
    const anchorsOf = new Map<string, Set<string>>([[join(REPO_ROOT, DOC), new Set(heads.map((h) => h.slug))]]);
    const found = links(doc);
    for (const target of found) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …: not repository files
      const [path = '', anchor] = target.split('#', 2);
      const file = path === '' ? join(REPO_ROOT, DOC) : join(docDir, decodeURIComponent(path));
      const inRepo = !relative(REPO_ROOT, file).startsWith('..');
      if (!inRepo || !existsSync(file)) {
        broken.push(`${target}: no such file in the repository`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && statSync(file).isFile() && file.endsWith('.md')) {
        if (!anchorsOf.has(file)) anchorsOf.set(file, new Set(headings(readFileSync(file, 'utf8')).map((h) => h.slug)));
        if (!anchorsOf.get(file)?.has(anchor.toLowerCase())) broken.push(`${target}: no heading with anchor #${anchor}`);
      }
    }
    expect(found.length, 'links found in the page').toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it('lists every discovered stream in Supported streams with its primary key, cursor and sync modes (project rule)', async () => {
    const streams = await discover(repoJson(test.config_path));
    const problems: string[] = [];
    // Other tables name streams too (scopes, deprecations): only the Supported streams section counts.
    const section = doc.slice(doc.indexOf('\n## Supported streams'), doc.indexOf('\n## ', doc.indexOf('\n## Supported streams') + 1));
    for (const stream of streams) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${stream.name}\` |`));
      if (!row) {
        problems.push(`${stream.name}: no row in the Supported streams table`);
        continue;
      }
      for (const key of stream.source_defined_primary_key ?? []) if (!row.includes(`\`${key.join('.')}\``)) problems.push(`${stream.name}: primary key ${key.join('.')} not in its row`);
      const cursor = stream.default_cursor_field?.join('.');
      if (cursor !== undefined && !row.includes(`\`${cursor}\``)) problems.push(`${stream.name}: cursor ${cursor} not in its row`);
      const incremental = stream.supported_sync_modes.includes('incremental');
      if (incremental !== /incremental/.test(row)) problems.push(`${stream.name}: the row says ${incremental ? 'no ' : ''}incremental, discover says ${incremental ? '' : 'no '}incremental`);
    }
    expect(problems).toEqual([]);
  });
});

describe('documentation helpers (unit)', () => {
  it('slugs headings the way GitHub does', () => {
    expect(headings('# A\n## Step 2 (optional): Try it against the `Concur` simulator\n```\n# not a heading\n```\n## A').map((h) => h.slug)).toEqual(['a', 'step-2-optional-try-it-against-the-concur-simulator', 'a-1']);
  });
  it('finds inline, image and reference links, not code', () => {
    expect(links('see [x](../a.md#b) and ![i](img.png "t") `[no](c.md)`\n[ref]: ./d.md\n```\n[no](e.md)\n```')).toEqual(['../a.md#b', 'img.png', './d.md']);
  });
});
