import type { Query } from '../../concur/client.js';
import { ConcurError } from '../../concur/errors.js';
import { coerceXml, xmlList, type JsonSchemaNode, type XmlNode } from '../../concur/xml.js';
import type { RecordData } from '../../engine/define.js';
import type { StreamContext } from '../env.js';

/** GET an XML document (v1.1, v2, Extract, Itinerary, User v1) and parse it safely. */
export function getXmlDocument(ctx: StreamContext, path: string, query: Query = {}): Promise<{ [name: string]: XmlNode }> {
  return ctx.options.client.getXml(path, query, ctx.signal);
}

/** The repeated record elements at `recordPath`, decoded by `schema` into JSON as Concur means it. */
export function decodeRecords(root: XmlNode, recordPath: readonly string[], schema: JsonSchemaNode | undefined): RecordData[] {
  return xmlList(root, recordPath).map((node) => decodeRecord(node, schema));
}

export function decodeRecord(node: XmlNode, schema: JsonSchemaNode | undefined): RecordData {
  const value = coerceXml(node, { type: 'object', ...schema });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConcurError('payload', 'Concur sent an XML record that is not an element with fields.');
  }
  return value as RecordData;
}

/** A whole-list XML endpoint (no paging): one request, one page of records. */
export function xmlListPages(path: string, recordPath: readonly string[], query: (ctx: StreamContext) => Query = () => ({})) {
  return async function* (ctx: StreamContext): AsyncGenerator<RecordData[]> {
    const root = await getXmlDocument(ctx, path, query(ctx));
    yield decodeRecords(root, recordPath, ctx.schema as JsonSchemaNode | undefined);
  };
}

/** The last path segment of a URL (Extract ids are URLs: …/v1.0/{DefinitionID}/job/{JobID}). */
export function lastSegment(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null;
  const segments = url.replace(/[?#].*$/, '').split('/').filter((s) => s !== '');
  return segments.length > 0 ? decodeURIComponent(segments[segments.length - 1] as string) : null;
}
