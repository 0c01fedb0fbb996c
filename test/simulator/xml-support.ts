import { readFileSync } from 'node:fs';

/**
 * A tiny, strict XML reader for the simulator tests (no dependency, no connector code): elements, attributes,
 * text and the five entities plus character references. It throws on anything that is not well-formed
 * (unclosed or mismatched tags, text after the root, a DOCTYPE), so it also proves malformed-xml fires.
 * `decode` turns an element into JSON the way a schema-driven decoder should (simulator/README.md).
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITY[name];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

/** Parse a whole document; returns the root element. */
export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Error('DOCTYPE is never allowed');
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
  };
  if (text.startsWith('\uFEFF')) pos = 1;
  skipSpace();
  if (text.startsWith('<?xml', pos)) {
    const end = text.indexOf('?>', pos);
    if (end < 0) throw new Error('unterminated XML declaration');
    pos = end + 2;
  }
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunk = lt < 0 ? text.slice(pos) : text.slice(pos, lt);
    if (chunk.includes('>')) throw new Error(`stray '>' at ${pos}`);
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += decodeEntities(chunk);
    else if (chunk.trim() !== '') throw new Error(`text outside the root element at ${pos}`);
    if (lt < 0) break;
    pos = lt;
    if (text.startsWith('</', pos)) {
      const end = text.indexOf('>', pos);
      if (end < 0) throw new Error('unterminated end tag');
      const name = text.slice(pos + 2, end).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new Error(`mismatched end tag </${name}> (open: ${open?.name ?? 'none'})`);
      pos = end + 1;
      if (stack.length === 0) root = open;
      continue;
    }
    const end = text.indexOf('>', pos);
    if (end < 0) throw new Error('unterminated start tag');
    let inner = text.slice(pos + 1, end);
    const selfClosing = inner.endsWith('/');
    if (selfClosing) inner = inner.slice(0, -1);
    const m = /^([\w:.-]+)([\s\S]*)$/.exec(inner.trim());
    if (m === null) throw new Error(`bad tag <${inner}>`);
    const attrs: Record<string, string> = {};
    const attrText = m[2] ?? '';
    const attrRe = /\s*([\w:.-]+)="([^"]*)"/gy;
    let consumed = 0;
    for (let a = attrRe.exec(attrText); a !== null; a = attrRe.exec(attrText)) {
      attrs[a[1] ?? ''] = decodeEntities(a[2] ?? '');
      consumed = attrRe.lastIndex;
    }
    if (attrText.slice(consumed).trim() !== '') throw new Error(`bad attributes in <${inner}>`);
    if (root !== undefined && stack.length === 0) throw new Error('a second root element');
    const element: XmlElement = { name: m[1] ?? '', attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(element);
    if (selfClosing) {
      if (parent === undefined) root = element;
    } else stack.push(element);
    pos = end + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed element <${stack[stack.length - 1]?.name ?? ''}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Local name (namespace prefixes dropped). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => localName(c.name) === name);
}

export interface SchemaNode {
  type?: string | string[];
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

function types(schema: SchemaNode | undefined): string[] {
  if (schema?.type === undefined) return ['string'];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

const SENTINEL = /^0001-01-01T00:00:00$/;

/**
 * Element → JSON by schema: i:nil, an empty element and (for date-time fields) the 0001-01-01T00:00:00
 * sentinel → null; numbers; Y/N, Yes/No → booleans; a list container → an array of its items ([] when empty);
 * an object → its child elements (missing schema properties → null).
 */
export function decode(element: XmlElement, schema: SchemaNode | undefined): unknown {
  if (element.attrs['i:nil'] === 'true') return null;
  const kinds = types(schema);
  if (kinds.includes('array')) return element.children.map((c) => decode(c, schema?.items));
  if (kinds.includes('object')) {
    if (element.children.length === 0) return element.text.trim() === '' ? null : element.text.trim();
    const out: Record<string, unknown> = {};
    for (const c of element.children) out[localName(c.name)] = decode(c, schema?.properties?.[localName(c.name)]);
    for (const key of Object.keys(schema?.properties ?? {})) if (!(key in out)) out[key] = null;
    return out;
  }
  if (element.children.length > 0) throw new Error(`<${element.name}> has child elements but the schema says ${kinds.join('|')}`);
  const text = element.text.trim();
  if (text === '') return null;
  if (kinds.includes('integer') || kinds.includes('number')) {
    const n = Number(text);
    if (Number.isNaN(n)) throw new Error(`<${element.name}>${text}: not a number`);
    return n;
  }
  if (kinds.includes('boolean')) {
    if (/^(Y|Yes|true)$/.test(text)) return true;
    if (/^(N|No|false)$/.test(text)) return false;
    throw new Error(`<${element.name}>${text}: not a flag`);
  }
  if (schema?.format === 'date-time' && SENTINEL.test(text)) return null;
  return text;
}

/** The records of a list document: decode every child of the root (or of the element at `path`). */
export function decodeList(xml: string, schema: SchemaNode | undefined, path: readonly string[] = []): Record<string, unknown>[] {
  let node: XmlElement | undefined = parseXml(xml);
  for (const name of path) node = node === undefined ? undefined : child(node, name);
  if (node === undefined) throw new Error(`no element at ${path.join('/')}`);
  return node.children.map((c) => decode(c, { type: 'object', ...schema }) as Record<string, unknown>);
}

export function decodeRecord(xml: string, schema: SchemaNode | undefined): Record<string, unknown> {
  return decode(parseXml(xml), { type: 'object', ...schema }) as Record<string, unknown>;
}

export interface StreamSchema extends SchemaNode {
  properties: Record<string, SchemaNode>;
}

export function loadSchema(stream: string): StreamSchema {
  return JSON.parse(readFileSync(new URL(`../../schemas/${stream}.json`, import.meta.url), 'utf8')) as StreamSchema;
}

/** The schema without connector-added properties. */
export function without(schema: StreamSchema, keys: readonly string[]): StreamSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !keys.includes(k)));
  return { ...schema, properties };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Problems of a record against a schema, recursively: exact key set (in any order), JSON types allowed by
 * the schema, nested objects and array items checked too.
 */
export function shapeProblems(record: Record<string, unknown>, schema: SchemaNode, path = ''): string[] {
  const out: string[] = [];
  const expected = Object.keys(schema.properties ?? {});
  for (const k of expected) if (!(k in record)) out.push(`${path}${k}: missing`);
  for (const k of Object.keys(record)) if (!expected.includes(k)) out.push(`${path}${k}: not in schema`);
  for (const k of expected) {
    const spec = schema.properties?.[k];
    const value = record[k];
    if (spec === undefined || value === undefined) continue;
    const allowed = types(spec);
    const actual = typeOf(value);
    if (!(allowed.includes(actual) || (actual === 'integer' && allowed.includes('number')))) out.push(`${path}${k}: ${actual} not in ${allowed.join('|')}`);
    if (actual === 'object' && spec.properties !== undefined) out.push(...shapeProblems(value as Record<string, unknown>, spec, `${path}${k}.`));
    if (actual === 'array' && spec.items?.properties !== undefined) {
      (value as unknown[]).forEach((item, i) => {
        if (typeOf(item) !== 'object') out.push(`${path}${k}[${i}]: not an object`);
        else out.push(...shapeProblems(item as Record<string, unknown>, spec.items as SchemaNode, `${path}${k}[${i}].`));
      });
    }
  }
  return out;
}
