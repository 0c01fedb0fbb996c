import { XMLParser } from 'fast-xml-parser';
import { ConcurError } from './errors.js';

export type XmlNode = string | XmlNode[] | { [name: string]: XmlNode };

/**
 * Concur's XML APIs (v1.1, v2, Extract, Itinerary, User v1) parsed safely:
 * - any DOCTYPE or ENTITY declaration is refused outright: Concur never sends one, and refusing it closes the
 *   door on entity expansion (billion laughs) and external entities (XXE);
 * - namespace prefixes are dropped and namespaces ignored (docs/concur-api.md#xml-conventions: http and https namespace URIs both occur);
 * - values stay text here; `coerceXml` turns them into the schema's types.
 */
export const XML_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  // No callback here wants the element's path as a string; building it for every element costs ~5% of parsing.
  jPath: false,
} as const;
const parser = new XMLParser(XML_PARSER_OPTIONS);

const MAX_DEPTH = 64;

export function parseXml(text: string): { [name: string]: XmlNode } {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new ConcurError('payload', 'Concur answered with an XML document type declaration (DOCTYPE/ENTITY); refused, as entity expansion is never safe here.');
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch (error) {
    throw new ConcurError('payload', `Concur answered with malformed XML: ${(error as Error).message.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).length === 0) {
    throw new ConcurError('payload', 'Concur answered with an empty XML document.');
  }
  if (depthOf(parsed, 0) > MAX_DEPTH) throw new ConcurError('payload', `Concur answered with XML nested deeper than ${MAX_DEPTH} levels; refused.`);
  return parsed as { [name: string]: XmlNode };
}

/** The repeated elements at `path` (e.g. ['CardCharges', 'CardCharge']) as an array, one element or many. */
export function xmlList(root: XmlNode, path: readonly string[]): XmlNode[] {
  let node: XmlNode | undefined = root;
  for (const name of path) {
    if (node === undefined || typeof node === 'string' || Array.isArray(node)) return [];
    node = node[name];
  }
  if (node === undefined || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

export type JsonSchemaNode = { type?: string | string[]; format?: string; properties?: Record<string, JsonSchemaNode>; items?: JsonSchemaNode };

// docs/concur-api.md#xml-conventions: v2 sends this for a date never reached (e.g. SubmitDate of an unsubmitted report).
const SENTINEL_DATE = /^0001-01-01(T00:00:00(\.0+)?)?$/;

/**
 * Turns parsed XML into JSON as Concur means it, driven by the stream's schema:
 * - `i:nil="true"`, an empty element and the 0001-01-01T00:00:00 sentinel become null;
 * - decimal text becomes a number (a v2 "%" suffix is dropped), integers stay integers;
 * - Y/N (and Yes/No, true/false) become booleans where the schema says boolean; elsewhere they stay text;
 * - a list element becomes an array even when it holds one item (an empty list element is []);
 * - text that does not fit the type is left as text, so record validation nulls it and reports the change.
 */
export function coerceXml(value: XmlNode | undefined, schema: JsonSchemaNode | undefined): unknown {
  if (value === undefined) return null;
  if (isNil(value)) return null;
  const types = schema?.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array')) return coerceArray(value, schema?.items);
  if (types.includes('object')) {
    if (typeof value === 'string') return value === '' ? null : value;
    if (Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value)) {
      if (name.startsWith('@_')) continue;
      out[name] = coerceXml(child, schema?.properties?.[name]);
    }
    for (const name of Object.keys(schema?.properties ?? {})) if (!(name in out)) out[name] = null;
    return out;
  }
  const text = textOf(value);
  if (text === undefined) return value;
  if (text === '') return null;
  if (types.includes('integer') || types.includes('number')) {
    const numeric = text.replace(/%$/, '').replace(/,/g, '');
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(numeric)) {
      const parsed = Number(numeric);
      if (types.includes('integer') && !types.includes('number')) return Number.isInteger(parsed) ? parsed : text;
      return parsed;
    }
    return text;
  }
  if (types.includes('boolean')) {
    const flag = /^(y|yes|true)$/i.test(text) ? true : /^(n|no|false)$/i.test(text) ? false : undefined;
    return flag ?? text;
  }
  if (schema?.format === 'date-time' && SENTINEL_DATE.test(text)) return null;
  return decodeEntities(text);
}

function coerceArray(value: XmlNode, items: JsonSchemaNode | undefined): unknown[] {
  if (typeof value === 'string') return [];
  return listOf(value, items).map((item) => coerceXml(item, items));
}

/**
 * The items of a list element. Concur wraps lists in a container (<ExpenseEntriesList><ExpenseEntry/>…), but a
 * repeated element may also stand directly in the record, once or many times. An element whose children are the
 * item's own fields is one item (even with a single field: <Attendee><AttendeeID/></Attendee>); otherwise it is a
 * container, and its repeated child holds the items.
 */
function listOf(value: Exclude<XmlNode, string>, items: JsonSchemaNode | undefined): XmlNode[] {
  if (Array.isArray(value)) return value;
  const children = Object.entries(value).filter(([name]) => !name.startsWith('@_'));
  const itemFields = items?.properties;
  if (itemFields && children.some(([name]) => name in itemFields)) return [value];
  if (children.length === 1) {
    const only = (children[0] as [string, XmlNode])[1];
    return Array.isArray(only) ? only : only === '' ? [] : [only];
  }
  const repeated = children.filter(([, child]) => Array.isArray(child));
  if (repeated.length === 1) return (repeated[0] as [string, XmlNode[]])[1];
  return [value];
}

function isNil(value: XmlNode): boolean {
  return typeof value === 'object' && !Array.isArray(value) && value['@_nil'] === 'true';
}

function textOf(value: XmlNode): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) && typeof value['#text'] === 'string') return value['#text'];
  if (!Array.isArray(value) && Object.keys(value).every((k) => k.startsWith('@_'))) return '';
  return undefined;
}

/** The five XML entities and character references; nothing else is ever expanded. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    switch (name) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

function depthOf(node: unknown, depth: number): number {
  if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return depth;
  let max = depth;
  for (const child of Object.values(node)) max = Math.max(max, depthOf(child, depth + 1));
  return max;
}
