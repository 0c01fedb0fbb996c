/**
 * XML rendering for the legacy families (v1.1, v2, Extract, Itinerary, User v1, Image).
 *
 * Every XML record is built once as its SEMANTIC value (what a correct, schema-driven decoder produces:
 * numbers, booleans, null, arrays, nested objects) and rendered from it by per-document rules. So
 * `/_sim/data` can stream the semantic value and the API the XML, and the two always agree:
 *
 * - string  → escaped text (`&`, `<`, `>`); strings are never empty (null is used instead);
 * - number  → integer text for fields listed in `integers`, else fixed decimals (`decimals[name]`, default 8:
 *             `50.00000000`);
 * - boolean → `Y`/`N`, or `Yes`/`No` for fields in `yesNo` (v2 ExpensePay);
 * - null    → by `nulls[name]`: `empty` (default, `<X />`), `nil` (`<X i:nil="true" />`), `sentinel`
 *             (`<X>0001-01-01T00:00:00</X>`, v2 dates never reached) or `absent` (no element at all);
 * - array   → a container element whose items are `<items[name]>` elements (an empty array is `<X />`);
 * - object  → an element whose children follow the object's key order.
 *
 * No DOCTYPE is ever written.
 */

export type XmlValue = string | number | boolean | null | readonly XmlValue[] | XmlRecord;
export interface XmlRecord {
  readonly [name: string]: XmlValue;
}

export type NullStyle = 'empty' | 'nil' | 'sentinel' | 'absent';

export interface XmlRules {
  /** List container element → its item element name. */
  readonly items?: Readonly<Record<string, string>>;
  readonly nulls?: Readonly<Record<string, NullStyle>>;
  /** Number fields written as integers. */
  readonly integers?: ReadonlySet<string>;
  /** Fraction digits for decimal fields (default 8). */
  readonly decimals?: Readonly<Record<string, number>>;
  /** Boolean fields written Yes/No instead of Y/N. */
  readonly yesNo?: ReadonlySet<string>;
}

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
export const SENTINEL_DATE = '0001-01-01T00:00:00';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  return /[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (ch) => ESCAPES[ch] ?? ch) : text;
}

/** Root element attributes: the default namespace and, when wanted, the `i` (XMLSchema-instance) prefix. */
export function rootAttributes(namespace: string | null, withXsi: boolean): string {
  let out = namespace === null ? '' : ` xmlns="${escapeXml(namespace)}"`;
  if (withXsi) out += ` xmlns:i="${XSI}"`;
  return out;
}

class Writer {
  readonly parts: string[] = [];

  constructor(private readonly rules: XmlRules) {}

  field(name: string, value: XmlValue, depth: number): void {
    const pad = '\n' + '  '.repeat(depth);
    if (value === null) {
      const style = this.rules.nulls?.[name] ?? 'empty';
      if (style === 'absent') return;
      if (style === 'nil') this.parts.push(`${pad}<${name} i:nil="true" />`);
      else if (style === 'sentinel') this.parts.push(`${pad}<${name}>${SENTINEL_DATE}</${name}>`);
      else this.parts.push(`${pad}<${name} />`);
      return;
    }
    if (typeof value === 'string') {
      this.parts.push(`${pad}<${name}>${escapeXml(value)}</${name}>`);
      return;
    }
    if (typeof value === 'number') {
      this.parts.push(`${pad}<${name}>${this.number(name, value)}</${name}>`);
      return;
    }
    if (typeof value === 'boolean') {
      const text = this.rules.yesNo?.has(name) === true ? (value ? 'Yes' : 'No') : value ? 'Y' : 'N';
      this.parts.push(`${pad}<${name}>${text}</${name}>`);
      return;
    }
    if (isList(value)) {
      if (value.length === 0) {
        this.parts.push(`${pad}<${name} />`);
        return;
      }
      const item = this.rules.items?.[name] ?? 'Item';
      this.parts.push(`${pad}<${name}>`);
      for (const entry of value) this.field(item, entry, depth + 1);
      this.parts.push(`${pad}</${name}>`);
      return;
    }
    this.parts.push(`${pad}<${name}>`);
    this.children(value, depth + 1);
    this.parts.push(`${pad}</${name}>`);
  }

  children(record: XmlRecord, depth: number): void {
    for (const key of Object.keys(record)) this.field(key, record[key] ?? null, depth);
  }

  private number(name: string, value: number): string {
    if (this.rules.integers?.has(name) === true) return String(Math.trunc(value));
    return value.toFixed(this.rules.decimals?.[name] ?? 8);
  }
}

function isList(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value);
}

export interface DocumentOptions {
  readonly namespace: string | null;
  /** Declare xmlns:i (needed whenever a nil may be written). */
  readonly xsi?: boolean;
  /** Write `<?xml version="1.0" encoding="utf-8"?>` first. */
  readonly declaration?: boolean;
}

/** A document whose root holds one record's fields: `<Root xmlns=…>fields…</Root>`. */
export function recordDocument(root: string, record: XmlRecord, rules: XmlRules, options: DocumentOptions): string {
  const writer = new Writer(rules);
  writer.children(record, 1);
  return `${options.declaration === true ? XML_DECLARATION + '\n' : ''}<${root}${rootAttributes(options.namespace, options.xsi ?? false)}>${writer.parts.join('')}\n</${root}>`;
}

/** A list document: `<Root xmlns=…><Item>…</Item>…</Root>`; an empty list is `<Root xmlns=… />`. */
export function listDocument(root: string, item: string, records: readonly XmlRecord[], rules: XmlRules, options: DocumentOptions): string {
  return `${options.declaration === true ? XML_DECLARATION + '\n' : ''}${listElement(root, item, records, rules, options, 0)}`;
}

/** The list element alone (for wrappers such as the itinerary ConnectResponse), indented by `depth`. */
export function listElement(root: string, item: string, records: readonly XmlRecord[], rules: XmlRules, options: DocumentOptions, depth: number): string {
  const pad = '  '.repeat(depth);
  const attributes = rootAttributes(options.namespace, options.xsi ?? false);
  if (records.length === 0) return `${pad}<${root}${attributes} />`;
  const writer = new Writer(rules);
  for (const record of records) writer.field(item, record, depth + 1);
  return `${pad}<${root}${attributes}>${writer.parts.join('')}\n${pad}</${root}>`;
}

/** Plain leaf elements for small hand-built documents (paging metadata). */
export function leaf(name: string, value: string | number | null): string {
  return value === null || value === '' ? `<${name} />` : `<${name}>${escapeXml(String(value))}</${name}>`;
}
